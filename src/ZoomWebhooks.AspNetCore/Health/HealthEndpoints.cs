using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the inbox answers, the active
/// environment has a Secret Token, and the dispatcher loop is alive. Answers are a bare status word:
/// no secret and no event data.
/// </summary>
internal static class HealthEndpoints
{
    internal const string ReadyTag = "ready";

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<InboxHealthCheck>("zoomwebhooks-inbox", tags: [ReadyTag])
            .AddCheck<SecretTokenHealthCheck>("zoomwebhooks-secret-token", tags: [ReadyTag])
            .AddCheck<DispatcherHealthCheck>("zoomwebhooks-dispatcher", tags: [ReadyTag]);
        return services;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
    }

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

    // Start-up refuses a configuration without one, but the configuration can be reloaded.
    private sealed class SecretTokenHealthCheck(IOptionsMonitor<ZoomOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return Task.FromResult(options.CurrentValue.Active?.AcceptedSecretTokens().Count > 0
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("The active environment has no Secret Token."));
            }
            catch (OptionsValidationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The Zoom configuration is not valid."));
            }
        }
    }

    private sealed class DispatcherHealthCheck(DispatcherHeartbeat heartbeat, IOptionsMonitor<InboxOptions> options, TimeProvider time) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var settings = options.CurrentValue;
            var silence = time.GetUtcNow() - heartbeat.LastBeat;
            // A batch beats at every settle, so its silence is at most one dispatch (which may
            // now outlast the lease: the dispatcher renews it).
            var allowed = TimeSpan.FromTicks(Math.Max(settings.LeaseDuration.Ticks, InboxSetup.MaxPublishTime(settings.Publish).Ticks));
            return Task.FromResult(silence <= allowed + (settings.PollInterval * 3)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The dispatcher loop has not run recently."));
        }
    }
}
