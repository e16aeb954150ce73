using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ZoomWebhooks.Telemetry;

/// <summary>
/// The OpenTelemetry SDK for an app that has none of its own: the receiver's spans and metrics,
/// ASP.NET Core, HttpClient and Npgsql instrumentation, <see cref="DeliverySampler"/>, exported over
/// OTLP. Only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: otherwise no SDK is registered,
/// nothing listens to the receiver's source and meter, and nothing is exported. The exporter reads
/// the standard <c>OTEL_EXPORTER_OTLP_*</c> variables itself (protocol, headers, timeout).
/// </summary>
internal static class TelemetrySetup
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddOpenTelemetryExport(IServiceCollection services, IConfiguration configuration, string applicationName)
    {
        if (string.IsNullOrWhiteSpace(configuration[EndpointKey]))
        {
            return;
        }

        // UseOtlpExporter, not AddOtlpExporter per signal: only it reads the per-signal variables
        // (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, ...), and it appends /v1/traces, /v1/metrics and
        // /v1/logs to the endpoint for http/protobuf. Logs go too, where the app logs through
        // Microsoft.Extensions.Logging's providers (a host on Serilog does not: its factory replaces them).
        services.AddTelemetrySdk(configuration, applicationName).UseOtlpExporter();
    }

    /// <summary>The SDK without an exporter; tests add an in-memory one.</summary>
    internal static IOpenTelemetryBuilder AddTelemetrySdk(this IServiceCollection services, IConfiguration configuration, string applicationName) =>
        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service; AddService would override it.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(applicationName);
                }
            })
            .WithTracing(tracing => tracing
                .SetSampler(DeliverySampler.FromConfiguration(configuration))
                .AddSource(ZoomWebhooksTelemetry.ActivitySourceName)
                // Probes and scrapes every few seconds would bury the deliveries.
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(ZoomWebhooksTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
