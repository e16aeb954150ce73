using Prometheus;
using ZoomWebhooks.Events;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Metrics;

/// <summary>
/// The service's Prometheus metrics, in a registry of its own per host (so tests running several
/// hosts in one process do not add up each other's counts). Event names become labels only for
/// the typed events plus <c>other</c>: a flood of invented names cannot grow the series count.
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

    public ServiceMetrics(IInbox inbox)
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
    }

    public void UrlValidated(DateTimeOffset at) => _lastUrlValidation.Set(at.ToUnixTimeMilliseconds() / 1000.0);

    public void DispatchAttempted(string eventName, string outcome, TimeSpan? elapsed, TimeSpan? lag)
    {
        var label = EventLabel(eventName);
        _dispatchAttempts.WithLabels(label, outcome).Inc();
        if (elapsed is { } duration)
        {
            _dispatchDuration.WithLabels(label).Observe(duration.TotalSeconds);
        }

        if (lag is { } sinceReceipt)
        {
            _dispatchLag.WithLabels(label).Observe(Math.Max(0, sinceReceipt.TotalSeconds));
        }
    }
}
