using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;
using ZoomWebhooks.Metrics;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// The subscription's connection as operators see it: the <c>zoomwebhooks_websocket_*</c> metrics
/// (created only when the feature is enabled), the same as <c>zoomwebhooks.websocket.*</c> on the
/// receiver's <see cref="Meter"/> for OpenTelemetry, and the state the readiness entry reads.
/// </summary>
internal sealed class WebSocketStatus(ServiceMetrics metrics, IMeterFactory meters, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Gauge? _connected;
    private Gauge? _leaseHeld;
    private Counter? _disconnects;
    private Counter? _messages;
    private Counter? _downSeconds;
    private Counter<long>? _otelDisconnects;
    private bool _isConnected;
    private bool _isLeaseHeld;
    private DateTimeOffset _downSince;

    public bool Started { get; private set; }

    public bool IsConnected
    {
        get
        {
            lock (_lock)
            {
                return _isConnected;
            }
        }
    }

    public void Start()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(metrics.Registry);
        _connected = factory.CreateGauge("zoomwebhooks_websocket_connected", "1 while this receiver's WebSocket subscription is connected (build_connection answered).");
        _leaseHeld = factory.CreateGauge("zoomwebhooks_websocket_lease_held", "1 while this receiver holds the subscription's lease (always on SQLite); 0 on a standby.");
        _disconnects = factory.CreateCounter("zoomwebhooks_websocket_disconnects_total", "WebSocket connections lost or refused, by reason.", "reason");
        _messages = factory.CreateCounter("zoomwebhooks_websocket_messages_total", "Zoom WebSocket event messages by outcome (accepted, duplicate, malformed).", "outcome");
        _downSeconds = factory.CreateCounter("zoomwebhooks_websocket_disconnected_seconds_total",
            "Seconds this receiver held the lease without a connection: the windows in which Zoom's events were lost.");
        var meter = meters.Create(ZoomWebhooksTelemetry.MeterName);
        meter.CreateObservableGauge("zoomwebhooks.websocket.connected", () => IsConnected ? 1 : 0, "{connection}",
            "1 while this receiver's WebSocket subscription is connected.");
        _otelDisconnects = meter.CreateCounter<long>("zoomwebhooks.websocket.disconnects", "{disconnect}", "WebSocket connections lost or refused, by reason.");
        lock (_lock)
        {
            _downSince = time.GetUtcNow();
            Started = true;
        }
    }

    /// <summary>This receiver took the lease: it is down from now until it connects.</summary>
    public void LeaseTaken()
    {
        lock (_lock)
        {
            _isLeaseHeld = true;
            _downSince = time.GetUtcNow();
        }

        _leaseHeld?.Set(1);
    }

    public void LeaseReleased()
    {
        lock (_lock)
        {
            _isLeaseHeld = false;
            if (_isConnected)
            {
                _isConnected = false;
                _connected?.Set(0);
            }
        }

        _leaseHeld?.Set(0);
    }

    /// <summary>Connected; returns since when it was down.</summary>
    public DateTimeOffset Connected()
    {
        DateTimeOffset since;
        lock (_lock)
        {
            since = _downSince;
            _isConnected = true;
        }

        _connected?.Set(1);
        _downSeconds?.Inc(Math.Max(0, (time.GetUtcNow() - since).TotalSeconds));
        return since;
    }

    public void Disconnected(string reason, bool wasConnected)
    {
        lock (_lock)
        {
            if (wasConnected)
            {
                _downSince = time.GetUtcNow();
            }

            _isConnected = false;
        }

        _connected?.Set(0);
        _disconnects?.WithLabels(reason).Inc();
        _otelDisconnects?.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Message(string outcome) => _messages?.WithLabels(outcome).Inc();

    public HealthCheckResult Health(ZoomWebSocketOptions options)
    {
        lock (_lock)
        {
            if (!Started || _isConnected)
            {
                return HealthCheckResult.Healthy();
            }

            if (!_isLeaseHeld)
            {
                // Another receiver holds the subscription (PostgreSQL); this one stands by.
                return HealthCheckResult.Healthy("standby");
            }

            return time.GetUtcNow() - _downSince <= options.UnreadyAfter
                ? HealthCheckResult.Healthy("reconnecting")
                : HealthCheckResult.Unhealthy("The Zoom WebSocket has been disconnected for longer than Zoom:WebSocket:UnreadyAfter.");
        }
    }
}

/// <summary>The <c>zoomwebhooks-websocket</c> readiness entry.</summary>
internal sealed class WebSocketHealthCheck(WebSocketStatus status, IOptionsMonitor<ZoomOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Health(options.CurrentValue.WebSocket));
}
