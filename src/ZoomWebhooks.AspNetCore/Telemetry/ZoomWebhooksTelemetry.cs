namespace ZoomWebhooks;

/// <summary>
/// The names under which the receiver publishes its traces and metrics, for an app that already
/// configures OpenTelemetry: <c>tracing.AddSource(ZoomWebhooksTelemetry.ActivitySourceName)</c> and
/// <c>metrics.AddMeter(ZoomWebhooksTelemetry.MeterName)</c>. Without a listener they cost a null
/// check. <see cref="ZoomWebhooksBuilder.AddOpenTelemetry"/> does all of it for an app that does not.
/// </summary>
public static class ZoomWebhooksTelemetry
{
    /// <summary>
    /// The <c>ActivitySource</c> of the spans <c>zoomwebhooks.accept</c> (with its children
    /// <c>zoomwebhooks.verify</c> and <c>zoomwebhooks.store</c>), <c>zoomwebhooks.dispatch</c> (one
    /// per attempt, a child of the stored accept) and <c>zoomwebhooks.handle</c> (one per handler).
    /// </summary>
    public const string ActivitySourceName = "ZoomWebhooks";

    /// <summary>
    /// The <c>Meter</c> of the receiver's metrics, the same counts as <c>/metrics</c> under
    /// OpenTelemetry names (<c>zoomwebhooks.webhook.requests</c>, <c>zoomwebhooks.dispatch.attempts</c>, ...).
    /// </summary>
    public const string MeterName = "ZoomWebhooks";
}
