using System.Net;
using System.Text;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Telemetry;

/// <summary>The built service as a process, exporting to a real OTLP/HTTP endpoint on loopback, or not.</summary>
public sealed class OtlpExportTests
{
    private const string Secret = "otlp-test-token-aaaaaaaaaaaaaaaaa";

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_the_delivery_s_trace_and_the_metrics_are_exported()
    {
        using var collector = new OtlpReceiver();
        await using var service = await StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        var (traceId, _, traceParent) = TracedService.ZoomTraceParent();

        (await service.PostSignedAsync(Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), Secret,
            new Dictionary<string, string> { ["traceparent"] = traceParent })).StatusCode.Should().Be(HttpStatusCode.OK);

        var traceIdBytes = Convert.FromHexString(traceId.ToHexString());
        await Eventually.Until(() => Task.FromResult(collector.Posts), posts =>
                posts.Any(p => p.Path == "/v1/traces" && p.Body.AsSpan().IndexOf(traceIdBytes) >= 0) && posts.Any(p => p.Path == "/v1/metrics"),
            TimeSpan.FromSeconds(30), "an export of the delivery's trace and one of metrics");
        var dispatchLine = await Eventually.Until(() => Task.FromResult(DispatchLine(service.Output)), l => l is not null,
            TimeSpan.FromSeconds(30), "the dispatch line");
        dispatchLine.Should().Contain($"\"@tr\":\"{traceId}\"", "the dispatch line (JSON in Production) carries Zoom's trace id");
    }

    [Fact]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_nothing_is_exported()
    {
        using var collector = new OtlpReceiver();
        // The per-signal endpoints point at the collector: only the main switch is missing.
        await using var service = await StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = collector.Endpoint + "/v1/traces",
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = collector.Endpoint + "/v1/metrics",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        });
        var (_, _, traceParent) = TracedService.ZoomTraceParent();

        (await service.PostSignedAsync(Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), Secret,
            new Dictionary<string, string> { ["traceparent"] = traceParent })).StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.Until(() => Task.FromResult(DispatchLine(service.Output)), l => l is not null, TimeSpan.FromSeconds(30), "the dispatch line");

        // A graceful stop flushes whatever an SDK would hold: after it, an export would have arrived.
        (await service.StopAsync()).Should().Be(0);
        collector.Posts.Should().BeEmpty();
    }

    private static string? DispatchLine(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("Dispatch of inbox event", StringComparison.Ordinal));

    private static async Task<ServiceProcess> StartAsync(Dictionary<string, string> otel)
    {
        var service = ServiceProcess.Start(new Dictionary<string, string>(otel)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = Secret,
            ["Serilog__MinimumLevel__Default"] = "Information",
        });
        await service.WaitForOutputAsync("Application started");
        return service;
    }
}
