using MediatR;
using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// The meeting activity projection's writer: each of the four meeting events, and the four webinar
/// events shaped like them, becomes one fact,
/// stamped with Zoom's own time from the payload (never the time it arrived). Appending is
/// idempotent, so the dispatcher's at-least-once delivery and Zoom's duplicates are harmless.
/// </summary>
internal sealed partial class RecordMeetingFacts(MeetingStore store, IOptionsMonitor<MeetingsOptions> options, ILogger<RecordMeetingFacts> logger) :
    INotificationHandler<MeetingStarted>,
    INotificationHandler<MeetingEnded>,
    INotificationHandler<ParticipantJoined>,
    INotificationHandler<ParticipantLeft>,
    INotificationHandler<WebinarStarted>,
    INotificationHandler<WebinarEnded>,
    INotificationHandler<WebinarParticipantJoined>,
    INotificationHandler<WebinarParticipantLeft>
{
    public Task Handle(MeetingStarted notification, CancellationToken cancellationToken) =>
        AppendAsync(Meeting(notification.Meeting, FactKind.Started, notification.StartTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId) with { MeetingStart = notification.StartTime }, cancellationToken);

    public Task Handle(MeetingEnded notification, CancellationToken cancellationToken) =>
        AppendAsync(Meeting(notification.Meeting, FactKind.Ended, notification.EndTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId) with { MeetingStart = notification.StartTime }, cancellationToken);

    public Task Handle(ParticipantJoined notification, CancellationToken cancellationToken) =>
        AppendAsync(Attendance(Meeting(notification.Meeting, FactKind.Joined, notification.JoinTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId), notification.Participant), cancellationToken);

    public Task Handle(ParticipantLeft notification, CancellationToken cancellationToken) =>
        AppendAsync(Attendance(Meeting(notification.Meeting, FactKind.Left, notification.LeaveTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId), notification.Participant), cancellationToken);

    public Task Handle(WebinarStarted notification, CancellationToken cancellationToken) =>
        AppendAsync(Webinar(Meeting(notification.Webinar, FactKind.Started, notification.StartTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId) with { MeetingStart = notification.StartTime }), cancellationToken);

    public Task Handle(WebinarEnded notification, CancellationToken cancellationToken) =>
        AppendAsync(Webinar(Meeting(notification.Webinar, FactKind.Ended, notification.EndTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId) with { MeetingStart = notification.StartTime }), cancellationToken);

    public Task Handle(WebinarParticipantJoined notification, CancellationToken cancellationToken) =>
        AppendAsync(Webinar(Attendance(Meeting(notification.Webinar, FactKind.Joined, notification.JoinTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId), notification.Participant)), cancellationToken);

    public Task Handle(WebinarParticipantLeft notification, CancellationToken cancellationToken) =>
        AppendAsync(Webinar(Attendance(Meeting(notification.Webinar, FactKind.Left, notification.LeaveTime ?? notification.EventTime,
            notification.EventTime, notification.InboxId, notification.AccountId), notification.Participant)), cancellationToken);

    private static MeetingFact Webinar(MeetingFact fact) => fact with { Subject = MeetingKind.Webinar };

    private static MeetingFact Meeting(MeetingRef meeting, string kind, DateTimeOffset at, DateTimeOffset eventTime, long inboxId, string? accountId) =>
        new(meeting.Uuid, kind, "", at, eventTime.ToUnixTimeMilliseconds(), inboxId, meeting.Id.Length == 0 ? null : meeting.Id,
            meeting.Topic, meeting.HostId, accountId);

    private MeetingFact Attendance(MeetingFact fact, ParticipantRef participant) => fact with
    {
        ParticipantKey = MeetingFact.KeyOf(participant),
        ParticipantName = participant.UserName,
        UserId = participant.UserId,
        ParticipantUserId = participant.ParticipantUserId,
        Email = options.CurrentValue.StoreEmails ? participant.Email : null,
    };

    private async Task AppendAsync(MeetingFact fact, CancellationToken cancellationToken)
    {
        if (fact.MeetingUuid.Length == 0)
        {
            // Nothing to attach it to; retrying would not change that.
            Log.NoMeeting(logger, fact.InboxId, fact.Kind);
            return;
        }

        var added = await store.AppendAsync(fact, cancellationToken);
        Log.Recorded(logger, fact.Kind, fact.MeetingUuid, fact.ParticipantKey, fact.OccurredAt, added);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox event {InboxId} ({FactKind}) names no meeting uuid; not recorded")]
        public static partial void NoMeeting(ILogger logger, long inboxId, string factKind);

        // The participant key is an id (or, for a guest, the display name); never the email.
        [LoggerMessage(Level = LogLevel.Debug,
            Message = "Meeting {MeetingUuid}: {FactKind} {ParticipantKey} at {OccurredAt} recorded (new: {New})")]
        public static partial void Recorded(ILogger logger, string factKind, string meetingUuid, string participantKey, DateTimeOffset occurredAt, bool @new);
    }
}
