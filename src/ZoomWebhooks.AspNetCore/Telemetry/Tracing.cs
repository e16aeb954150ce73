using System.Diagnostics;

namespace ZoomWebhooks.Telemetry;

/// <summary>
/// The receiver's spans and their attributes. Attributes follow OpenTelemetry's messaging
/// conventions where they fit (https://opentelemetry.io/docs/specs/semconv/messaging/) and hold
/// ids, names and outcomes only: never a secret, a token, a body, or a participant's name or email.
/// One static source, as .NET libraries do: with no listener <c>StartActivity</c> returns null.
/// </summary>
internal static class Tracing
{
    public const string Accept = "zoomwebhooks.accept";
    public const string Verify = "zoomwebhooks.verify";
    public const string Store = "zoomwebhooks.store";
    public const string Dispatch = "zoomwebhooks.dispatch";
    public const string Handle = "zoomwebhooks.handle";

    public const string MessagingSystem = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string Destination = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string BodySize = "messaging.message.body.size";
    public const string ErrorType = "error.type";
    public const string InboxId = "zoomwebhooks.inbox.id";
    public const string Attempt = "zoomwebhooks.dispatch.attempt";
    public const string Outcome = "zoomwebhooks.outcome";
    public const string Reason = "zoomwebhooks.reason";
    public const string Signature = "zoomwebhooks.signature";
    public const string MeetingUuid = "zoom.meeting.uuid";
    public const string Handler = "zoomwebhooks.handler";
    public const string Notification = "zoomwebhooks.notification";

    public static readonly ActivitySource Source = new(ZoomWebhooksTelemetry.ActivitySourceName,
        typeof(Tracing).Assembly.GetName().Version?.ToString());

    /// <summary>The W3C id of <paramref name="activity"/>, what the inbox keeps; null when it has none.</summary>
    public static string? TraceParent(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    public static void Failed(this Activity activity, Exception exception)
    {
        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag(ErrorType, exception.GetType().FullName);
    }
}
