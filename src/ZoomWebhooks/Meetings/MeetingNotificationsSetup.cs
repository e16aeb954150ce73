using System.Reflection;
using MediatR;

namespace ZoomWebhooks.Meetings;

public static class MeetingNotificationsSetup
{
    /// <summary>
    /// Registers MediatR 5 and every <see cref="INotificationHandler{TNotification}"/> in the given
    /// assemblies (this one by default): adding a handler class is all a developer does. MediatR's
    /// own DI package does not restore here, so the scan is ours.
    /// </summary>
    public static IServiceCollection AddMeetingNotifications(this IServiceCollection services, params Assembly[] assemblies)
    {
        services.AddScoped<ServiceFactory>(provider => provider.GetRequiredService);
        services.AddScoped<IMediator, Mediator>();

        var handlerTypes = (assemblies.Length == 0 ? [typeof(MeetingNotificationsSetup).Assembly] : assemblies)
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false });
        foreach (var type in handlerTypes)
        {
            foreach (var contract in type.GetInterfaces()
                         .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INotificationHandler<>)))
            {
                services.AddTransient(contract, type);
            }
        }

        return services;
    }
}
