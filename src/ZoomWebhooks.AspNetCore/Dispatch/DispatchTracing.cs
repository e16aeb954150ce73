using System.Diagnostics;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Telemetry;

namespace ZoomWebhooks.Dispatch;

/// <summary>
/// The span of one dispatch attempt, a child of the accept whose traceparent the inbox kept, so a
/// retry hours later lands in the same trace as the delivery. With no listener (or sampled out)
/// an unrecorded activity still carries that trace id, so the attempt's log lines (Serilog's
/// <c>@tr</c>/<c>@sp</c>) match the delivery's request line all the same.
/// </summary>
internal static class DispatchTracing
{
    public static Activity Start(ClaimedEvent claimed)
    {
        var activity = ActivityContext.TryParse(claimed.TraceParent, null, isRemote: true, out var parent)
            ? Tracing.Source.StartActivity(Tracing.Dispatch, ActivityKind.Consumer, parent)
            : Tracing.Source.StartActivity(Tracing.Dispatch, ActivityKind.Consumer);
        if (activity is null)
        {
            var unrecorded = new Activity(Tracing.Dispatch);
            if (claimed.TraceParent is not null && parent != default)
            {
                unrecorded.SetParentId(parent.TraceId, parent.SpanId);
            }

            return unrecorded.Start();
        }

        return activity.SetTag(Tracing.MessagingSystem, "zoom").SetTag(Tracing.OperationType, "process")
            .SetTag(Tracing.OperationName, "dispatch").SetTag(Tracing.Destination, claimed.EventName)
            .SetTag(Tracing.MessageId, claimed.RequestId).SetTag(Tracing.InboxId, claimed.Id)
            .SetTag(Tracing.Attempt, claimed.Attempt).SetTag(Tracing.MeetingUuid, claimed.MeetingUuid);
    }

    /// <summary>Records how the attempt ended; a retry or a dead event is an error span with the exception's type.</summary>
    public static void Ended(Activity activity, string outcome, Exception? error)
    {
        if (activity.Source != Tracing.Source)
        {
            return;
        }

        activity.SetTag(Tracing.Outcome, outcome);
        if (error is not null)
        {
            activity.Failed(error);
        }
    }
}
