using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Health;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the inbox answers too.</summary>
public static class HealthSetup
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<InboxHealthCheck>("inbox", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    // The Secret Token needs no check here: the service does not start without one.
    private sealed class InboxHealthCheck(IInbox inbox) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await inbox.PingAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("The inbox store does not answer.", ex);
            }
        }
    }
}
