namespace ZoomWebhooks.Dispatch;

internal static class DispatchSetup
{
    public static IServiceCollection AddInboxDispatcher(this IServiceCollection services)
    {
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<DispatcherHeartbeat>();
        services.AddKeyedSingleton(InboxDispatcher.PipelineKey, (provider, _) => PublishPipeline.Create(provider));
        services.AddHostedService<InboxDispatcher>();
        return services;
    }
}
