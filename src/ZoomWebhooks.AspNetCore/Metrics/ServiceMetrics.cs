using System.Diagnostics.Metrics;
using Prometheus;
using ZoomWebhooks.Events;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Metrics;

/// <summary>
/// The service's Prometheus metrics, in a registry of its own per host (so tests running several
/// hosts in one process do not add up each other's counts). Event names become labels only for
/// the typed events plus <c>other</c>: a flood of invented names cannot grow the series count.
/// The same counts also go to a <see cref="Meter"/> named <see cref="ZoomWebhooksTelemetry.MeterName"/>
/// (from the host's <see cref="IMeterFactory"/>, so one per host too) with the same labels as tags,
/// for an OpenTelemetry exporter; <c>/metrics</c> keeps its names (dashboards rely on them).
/// </summary>
internal sealed class ServiceMetrics
{
    private static readonly HashSet<string> LabelledEvents =
    [
        ZoomNotifications.MeetingStartedEvent, ZoomNotifications.MeetingEndedEvent,
        ZoomNotifications.ParticipantJoinedEvent, ZoomNotifications.ParticipantLeftEvent,
        "endpoint.url_validation",
    ];

    private readonly Counter _requests;
    private readonly Histogram _requestDuration;
    private readonly Counter _dispatchAttempts;
    private readonly Histogram _dispatchDuration;
    private readonly Histogram _dispatchLag;
    private readonly Gauge _inboxEvents;
    private readonly Gauge _lastUrlValidation;
    private readonly Counter<long> _otelRequests;
    private readonly Histogram<double> _otelRequestDuration;
    private readonly Counter<long> _otelDispatchAttempts;
    private readonly Histogram<double> _otelDispatchDuration;
    private readonly Histogram<double> _otelDispatchLag;
    private double? _lastUrlValidationAt;

    public ServiceMetrics(IInbox inbox, IMeterFactory meters)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var metrics = Prometheus.Metrics.WithCustomRegistry(Registry);
        _requests = metrics.CreateCounter("zoomwebhooks_webhook_requests_total",
            "Webhook requests by outcome (accepted, duplicate, validated, rejected) and reject reason.", "outcome", "reason");
        _requestDuration = metrics.CreateHistogram("zoomwebhooks_webhook_request_duration_seconds",
            "Time to answer a webhook request.", new HistogramConfiguration
            {
                LabelNames = ["outcome"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14),
            });
        _dispatchAttempts = metrics.CreateCounter("zoomwebhooks_dispatch_attempts_total",
            "Dispatch attempts by event and outcome (done, retry, dead, released).", "event", "outcome");
        _dispatchDuration = metrics.CreateHistogram("zoomwebhooks_dispatch_duration_seconds",
            "Time to publish one event to its handlers, Polly retries included.", new HistogramConfiguration
            {
                LabelNames = ["event"],
                Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
            });
        _dispatchLag = metrics.CreateHistogram("zoomwebhooks_dispatch_lag_seconds",
            "From receipt to successful handling.", new HistogramConfiguration
            {
                LabelNames = ["event"],
                Buckets = Histogram.ExponentialBuckets(0.001, 4, 12),
            });
        _inboxEvents = metrics.CreateGauge("zoomwebhooks_inbox_events", "Events in the inbox by status.", "status");
        _lastUrlValidation = metrics.CreateGauge("zoomwebhooks_url_validation_last_success_timestamp_seconds",
            "Unix time of the last answered URL validation; Zoom revalidates every 72 hours.");

        var meter = meters.Create(ZoomWebhooksTelemetry.MeterName);
        _otelRequests = meter.CreateCounter<long>("zoomwebhooks.webhook.requests", "{request}",
            "Webhook requests by outcome (accepted, duplicate, validated, rejected) and reject reason.");
        _otelRequestDuration = meter.CreateHistogram<double>("zoomwebhooks.webhook.request.duration", "s", "Time to answer a webhook request.");
        _otelDispatchAttempts = meter.CreateCounter<long>("zoomwebhooks.dispatch.attempts", "{attempt}",
            "Dispatch attempts by event and outcome (done, retry, dead, released).");
        _otelDispatchDuration = meter.CreateHistogram<double>("zoomwebhooks.dispatch.duration", "s",
            "Time to publish one event to its handlers, Polly retries included.");
        _otelDispatchLag = meter.CreateHistogram<double>("zoomwebhooks.dispatch.lag", "s", "From receipt to successful handling.");
        meter.CreateObservableGauge("zoomwebhooks.inbox.events", () => InboxCounts(inbox), "{event}", "Events in the inbox by status.");
        meter.CreateObservableGauge("zoomwebhooks.url_validation.last_success", () => LastUrlValidation(), "s",
            "Unix time of the last answered URL validation; Zoom revalidates every 72 hours.");

        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                foreach (var (status, count) in await inbox.CountByStatusAsync(cancellationToken))
                {
                    _inboxEvents.WithLabels(status).Set(count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The inbox is down: readiness says so; the gauges keep their last value.
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public static string EventLabel(string eventName) => LabelledEvents.Contains(eventName) ? eventName : "other";

    public void WebhookAnswered(string outcome, string? reason, TimeSpan elapsed)
    {
        _requests.WithLabels(outcome, reason ?? "").Inc();
        _requestDuration.WithLabels(outcome).Observe(elapsed.TotalSeconds);
        // Enabled is false until an exporter listens: the accept path pays a field read.
        if (_otelRequests.Enabled || _otelRequestDuration.Enabled)
        {
            _otelRequests.Add(1, new("outcome", outcome), new("reason", reason ?? ""));
            _otelRequestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void UrlValidated(DateTimeOffset at)
    {
        var seconds = at.ToUnixTimeMilliseconds() / 1000.0;
        _lastUrlValidation.Set(seconds);
        _lastUrlValidationAt = seconds;
    }

    public void DispatchAttempted(string eventName, string outcome, TimeSpan? elapsed, TimeSpan? lag)
    {
        var label = EventLabel(eventName);
        var eventTag = new KeyValuePair<string, object?>("event", label);
        _dispatchAttempts.WithLabels(label, outcome).Inc();
        _otelDispatchAttempts.Add(1, eventTag, new("outcome", outcome));
        if (elapsed is { } duration)
        {
            _dispatchDuration.WithLabels(label).Observe(duration.TotalSeconds);
            _otelDispatchDuration.Record(duration.TotalSeconds, eventTag);
        }

        if (lag is { } sinceReceipt)
        {
            _dispatchLag.WithLabels(label).Observe(Math.Max(0, sinceReceipt.TotalSeconds));
            _otelDispatchLag.Record(Math.Max(0, sinceReceipt.TotalSeconds), eventTag);
        }
    }

    private IEnumerable<Measurement<double>> LastUrlValidation() =>
        _lastUrlValidationAt is { } at ? [new Measurement<double>(at)] : [];

    /// <summary>
    /// Observed only when an exporter collects (every 60 s by default), on its own thread, so the
    /// wait for the store blocks nobody; bounded, and empty while the store is down.
    /// </summary>
    private static IEnumerable<Measurement<long>> InboxCounts(IInbox inbox)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var counts = inbox.CountByStatusAsync(timeout.Token).GetAwaiter().GetResult();
            return counts.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("status", c.Key))).ToList();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [];
        }
    }
}
