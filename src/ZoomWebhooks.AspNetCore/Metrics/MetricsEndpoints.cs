using Prometheus;

namespace ZoomWebhooks.Metrics;

internal static class MetricsEndpoints
{
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services) =>
        services.AddMetrics().AddSingleton<ServiceMetrics>();

    /// <summary><c>GET /metrics</c> in Prometheus text format.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ServiceMetrics>().Registry);
}
