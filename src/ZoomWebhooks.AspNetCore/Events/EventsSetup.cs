using System.Reflection;
using MediatR;

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
        services.AddScoped<ServiceFactory>(provider => type => HandlerTracing.Resolve(provider, type));
        services.AddScoped<IMediator, Mediator>();
        foreach (var type in handlerAssemblies.Distinct().SelectMany(assembly => assembly.GetTypes())
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
            services.AddTransient(contract, type);
        }

        return services;
    }
}
