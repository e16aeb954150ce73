using System.Reflection;
using MediatR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ZoomWebhooks.Events;

/// <summary>
/// MediatR 5 and the handlers: every <see cref="INotificationHandler{TNotification}"/> in the
/// assemblies the app names, and those each feature adds for itself. MediatR's own DI package
/// does not restore here, so the scan is ours.
/// </summary>
internal static class EventsSetup
{
    public static IServiceCollection AddZoomEvents(this IServiceCollection services, IEnumerable<Assembly> handlerAssemblies)
    {
        // TryAdd: the app's own registrations win, and a second AddZoomWebhooks adds nothing.
        services.TryAddScoped<ServiceFactory>(provider => type => HandlerTracing.Resolve(provider, type));
        services.TryAddScoped<IMediator, Mediator>();
        // The library's own handlers come with their features, never from a scan of it.
        var library = typeof(EventsSetup).Assembly;
        foreach (var type in handlerAssemblies.Distinct().Where(assembly => assembly != library).SelectMany(assembly => assembly.GetTypes())
                     .Where(type => type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            services.AddHandler(type);
        }

        return services;
    }

    /// <summary>Registers <typeparamref name="THandler"/> for every notification it handles.</summary>
    public static IServiceCollection AddHandler<THandler>(this IServiceCollection services)
        where THandler : class => services.AddHandler(typeof(THandler));

    private static IServiceCollection AddHandler(this IServiceCollection services, Type type)
    {
        foreach (var contract in type.GetInterfaces()
                     .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INotificationHandler<>)))
        {
            // Once per handler and notification, however often it is scanned or added.
            services.TryAddEnumerable(ServiceDescriptor.Transient(contract, type));
        }

        return services;
    }
}
