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
    /// <returns>A builder for the optional features.</returns>
    public static ZoomWebhooksBuilder AddZoomWebhooks(this IHostApplicationBuilder builder, params Assembly[] handlerAssemblies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddZoomConfiguration();
        services.AddInbox();
        services.AddZoomEvents(handlerAssemblies);
        services.AddInboxDispatcher();
        services.AddServiceHealth();
        services.AddServiceMetrics();
        services.TryAddSingleton<IZoomRequestDiagnostics, ActivityRequestDiagnostics>();
        return new ZoomWebhooksBuilder(builder);
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
