using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Configuration;

internal static partial class ConfigurationSetup
{
    public static IServiceCollection AddZoomConfiguration(this IServiceCollection services)
    {
        services.AddOptions<ZoomOptions>().BindConfiguration(ZoomOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZoomOptions>>(provider =>
            new ZoomOptionsValidator(productionHost: provider.GetRequiredService<IHostEnvironment>().IsProduction()));
        services.AddHostedService<ActiveEnvironmentAnnouncement>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Says once, at start, which credential set is live: the first thing to check when events are refused.</summary>
    private sealed partial class ActiveEnvironmentAnnouncement(
        IOptionsMonitor<ZoomOptions> options,
        ILogger<ActiveEnvironmentAnnouncement> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var zoom = options.CurrentValue;
            Log.ActiveEnvironment(
                logger,
                zoom.ActiveEnvironment,
                string.IsNullOrEmpty(zoom.Active?.ClientId) ? "(none)" : zoom.Active.ClientId,
                zoom.Active?.PreviousSecretTokens.Count ?? 0,
                zoom.Webhooks.Path);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private static partial class Log
        {
            [LoggerMessage(Level = LogLevel.Information,
                Message = "Zoom credential environment {ZoomEnvironment} is active (client id {ClientId}, {PreviousTokenCount} previous secret tokens accepted); webhooks at {WebhookPath}")]
            public static partial void ActiveEnvironment(ILogger logger, string zoomEnvironment, string clientId, int previousTokenCount, string webhookPath);
        }
    }
}
