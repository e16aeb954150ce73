using Microsoft.Extensions.DependencyInjection.Extensions;
using ZoomWebhooks.Health;
using ZoomWebhooks.OAuth;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// Zoom events over a WebSocket event subscription (issue 18), into the same inbox as webhooks:
/// from there on they are deduplicated, dispatched, retried and replayed like any other. Inert
/// unless <c>Zoom:WebSocket:Enabled</c>; <see cref="ZoomOptionsValidator"/> checks its keys at start.
/// </summary>
internal static class WebSocketSetup
{
    public const string HealthCheckName = "zoomwebhooks-websocket";

    public static void AddZoomWebSocket(IServiceCollection services)
    {
        OAuthEndpoints.AddZoomOAuthClient(services);
        services.TryAddSingleton<AccountTokens>();
        services.TryAddSingleton<WebSocketStatus>();
        services.TryAddSingleton<SubscriptionLease>();
        services.AddHostedService<WebSocketReceiver>();
        services.AddHealthChecks().AddCheck<WebSocketHealthCheck>(HealthCheckName, tags: [HealthEndpoints.ReadyTag]);
    }
}
