using System.Diagnostics.Metrics;
using Prometheus;
using ZoomWebhooks.Metrics;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// The downloads as operators see them, created only when recordings are on
/// (<see cref="Start"/>, from the worker): <c>zoomwebhooks_recording_jobs{status}</c>, read from the
/// job table at each scrape, <c>zoomwebhooks_recording_attempts_total{outcome}</c> and
/// <c>zoomwebhooks_recording_bytes_total</c>, in the service's registry, and the same as
/// <c>zoomwebhooks.recording.*</c> on the receiver's <see cref="Meter"/> for OpenTelemetry.
/// </summary>
internal sealed class RecordingMetrics(ServiceMetrics metrics, RecordingStore store, IMeterFactory meters)
{
    private Counter? _attempts;
    private Counter? _bytes;
    private Counter<long>? _otelAttempts;
    private Counter<long>? _otelBytes;

    public void Start()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        var jobs = factory.CreateGauge("zoomwebhooks_recording_jobs", "Recording download jobs by status (pending, downloading, downloaded, done, failed).", "status");
        _attempts = factory.CreateCounter("zoomwebhooks_recording_attempts_total",
            "Ends of recording download attempts by outcome (done, retry, failed, released, lost, deleted).", "outcome");
        _bytes = factory.CreateCounter("zoomwebhooks_recording_bytes_total", "Bytes of recording files put in place by this process.");
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                foreach (var (status, count) in await store.CountByStatusAsync(cancellationToken))
                {
                    jobs.WithLabels(status).Set(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is down: readiness says so; the gauges keep their last value.
            }
        });

        var meter = meters.Create(ZoomWebhooksTelemetry.MeterName);
        _otelAttempts = meter.CreateCounter<long>("zoomwebhooks.recording.attempts", "{attempt}",
            "Ends of recording download attempts by outcome (done, retry, failed, released, lost, deleted).");
        _otelBytes = meter.CreateCounter<long>("zoomwebhooks.recording.bytes", "By", "Bytes of recording files put in place by this process.");
    }

    public void Attempted(string outcome)
    {
        _attempts?.WithLabels(outcome).Inc();
        _otelAttempts?.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Downloaded(long bytes)
    {
        _bytes?.Inc(bytes);
        _otelBytes?.Add(bytes);
    }
}
