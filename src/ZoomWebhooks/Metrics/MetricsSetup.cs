using Prometheus;

namespace ZoomWebhooks.Metrics;

public static class MetricsSetup
{
    public static IServiceCollection AddServiceMetrics(this IServiceCollection services) =>
        services.AddSingleton<ServiceMetrics>();

    /// <summary><c>GET /metrics</c> in Prometheus text format.</summary>
    public static IEndpointRouteBuilder MapServiceMetrics(this IEndpointRouteBuilder app)
    {
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<ServiceMetrics>().Registry);
        return app;
    }
}
