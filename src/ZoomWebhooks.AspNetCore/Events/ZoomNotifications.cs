using System.Text;
using System.Text.Json;
using MediatR;

namespace ZoomWebhooks.Events;

/// <summary>Turns a stored event into the notifications it publishes: its typed one, if any, then the generic one.</summary>
internal static class ZoomNotifications
{
    public const string MeetingStartedEvent = "meeting.started";
    public const string MeetingEndedEvent = "meeting.ended";
    public const string ParticipantJoinedEvent = "meeting.participant_joined";
    public const string ParticipantLeftEvent = "meeting.participant_left";
    public const string WebinarStartedEvent = "webinar.started";
    public const string WebinarEndedEvent = "webinar.ended";
    public const string WebinarParticipantJoinedEvent = "webinar.participant_joined";
    public const string WebinarParticipantLeftEvent = "webinar.participant_left";

    private static readonly long MinEventTs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxEventTs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// Total over what a signed delivery may hold: a field it cannot read is absent (a time out of
    /// range included), and what can never make a notification is a <see cref="FormatException"/>.
    /// </summary>
    /// <exception cref="FormatException">
    /// The body is not a JSON object, or <c>event_ts</c> is no date; retrying will not change that.
    /// </exception>
    public static IReadOnlyList<INotification> From(long inboxId, string eventName, long eventTs, ReadOnlyMemory<byte> body)
    {
        // Any long passes the envelope check; DateTimeOffset would throw ArgumentOutOfRangeException,
        // which the dispatcher rightly takes for a transient fault (issue 13).
        if (eventTs < MinEventTs || eventTs > MaxEventTs)
        {
            throw new FormatException($"Inbox event {inboxId}: event_ts {eventTs} is not a date (milliseconds since 1970 between year 1 and 9999).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Inbox event {inboxId} is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Inbox event {inboxId} is not a JSON object.");
            }

            var payload = ZoomJson.Object(root, "payload");
            var accountId = ZoomJson.Text(payload, "account_id");
            var meeting = ZoomJson.Object(payload, "object");
            var participant = ZoomJson.Object(meeting, "participant");
            var eventTime = DateTimeOffset.FromUnixTimeMilliseconds(eventTs);

            INotification? typed = eventName switch
            {
                MeetingStartedEvent => new MeetingStarted(inboxId, eventTime, accountId, MeetingRef.From(meeting), ZoomJson.Time(meeting, "start_time")),
                MeetingEndedEvent => new MeetingEnded(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ZoomJson.Time(meeting, "start_time"), ZoomJson.Time(meeting, "end_time")),
                ParticipantJoinedEvent => new ParticipantJoined(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ParticipantRef.From(participant), ZoomJson.Time(participant, "join_time")),
                ParticipantLeftEvent => new ParticipantLeft(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ParticipantRef.From(participant), ZoomJson.Time(participant, "leave_time"), ZoomJson.Text(participant, "leave_reason")),
                // Zoom shapes its webinar events like the meeting ones (webinar in payload.object,
                // participant in payload.object.participant), so one lenient reader serves both.
                WebinarStartedEvent => new WebinarStarted(inboxId, eventTime, accountId, MeetingRef.From(meeting), ZoomJson.Time(meeting, "start_time")),
                WebinarEndedEvent => new WebinarEnded(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ZoomJson.Time(meeting, "start_time"), ZoomJson.Time(meeting, "end_time")),
                WebinarParticipantJoinedEvent => new WebinarParticipantJoined(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ParticipantRef.From(participant), ZoomJson.Time(participant, "join_time")),
                WebinarParticipantLeftEvent => new WebinarParticipantLeft(inboxId, eventTime, accountId, MeetingRef.From(meeting),
                    ParticipantRef.From(participant), ZoomJson.Time(participant, "leave_time"), ZoomJson.Text(participant, "leave_reason")),
                AppDeauthorized.EventName or AppDeauthorized.LegacyEventName => AppDeauthorized.From(inboxId, eventTime, payload),
                _ => null,
            };

            var generic = new ZoomEventReceived(inboxId, eventName, eventTs, accountId, Encoding.UTF8.GetString(body.Span));
            return typed is null ? [generic] : [typed, generic];
        }
    }
}
