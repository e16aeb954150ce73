using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Events;
using ZoomWebhooks.Health;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Metrics;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks;

/// <summary>The two calls that add a Zoom webhook receiver to an ASP.NET Core app.</summary>
public static class ZoomWebhooksExtensions
{
    /// <summary>
    /// Registers the receiver: signature verification against the active credential environment
    /// (<c>Zoom</c> section), the durable inbox (<c>Inbox</c> section, <c>ConnectionStrings:Inbox</c>;
    /// SQLite unless <c>Inbox:Provider</c> is <c>Postgres</c>), the dispatcher that publishes typed
    /// MediatR notifications, health checks and metrics. Configuration is validated at start.
    /// </summary>
    /// <param name="builder">The app's host builder.</param>
    /// <param name="handlerAssemblies">
    /// Assemblies whose <c>INotificationHandler&lt;T&gt;</c> classes are registered as handlers.
    /// None given: only handlers registered by hand and by the features run.
    /// </param>
    /// <returns>A builder for the optional features; the same one when called again.</returns>
    public static ZoomWebhooksBuilder AddZoomWebhooks(this IHostApplicationBuilder builder, params Assembly[] handlerAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddZoomEvents(handlerAssemblies);
        if (services.FirstOrDefault(s => s.ServiceType == typeof(Registration))?.ImplementationInstance is Registration added)
        {
            return added.Builder;
        }

        services.AddZoomConfiguration();
        services.AddInbox();
        services.AddInboxDispatcher();
        services.AddServiceHealth();
        services.AddServiceMetrics();
        services.TryAddSingleton<IZoomRequestDiagnostics, ActivityRequestDiagnostics>();
        var registration = new Registration(new ZoomWebhooksBuilder(builder));
        services.AddSingleton(registration);
        return registration.Builder;
    }

    /// <summary>
    /// Maps <c>POST {Zoom:Webhooks:Path}</c> (default <c>/webhooks/zoom</c>) and the routes of the
    /// features turned on with the <see cref="ZoomWebhooksBuilder"/>.
    /// </summary>
    /// <param name="endpoints">The app's endpoint route builder.</param>
    /// <returns>The same route builder.</returns>
    public static IEndpointRouteBuilder MapZoomWebhooks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registration = endpoints.ServiceProvider.GetService<Registration>()
            ?? throw new InvalidOperationException("Call builder.AddZoomWebhooks() before app.MapZoomWebhooks(): the receiver's services are not registered.");
        if (Interlocked.Exchange(ref registration.Mapped, 1) == 1)
        {
            throw new InvalidOperationException("app.MapZoomWebhooks() was called twice: its routes are mapped already.");
        }

        WebhookEndpoints.Map(endpoints);
        foreach (var feature in endpoints.ServiceProvider.GetServices<FeatureEndpoints>())
        {
            feature.Map(endpoints);
        }

        return endpoints;
    }
}

/// <summary>The routes one feature serves; <see cref="ZoomWebhooksExtensions.MapZoomWebhooks"/> maps each.</summary>
internal sealed record FeatureEndpoints(string Feature, Action<IEndpointRouteBuilder> Map);

/// <summary>That AddZoomWebhooks ran on these services (and with which builder), and whether its routes are mapped.</summary>
internal sealed class Registration(ZoomWebhooksBuilder builder)
{
    public int Mapped;

    public ZoomWebhooksBuilder Builder { get; } = builder;
}
