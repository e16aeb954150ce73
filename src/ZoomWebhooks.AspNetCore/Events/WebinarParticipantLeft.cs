using MediatR;

namespace ZoomWebhooks;

/// <summary><c>webinar.participant_left</c>: an attendee or panelist left; Zoom may deliver it before the join it follows.</summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Webinar">The webinar, <c>payload.object</c>.</param>
/// <param name="Participant">Who, <c>payload.object.participant</c>.</param>
/// <param name="LeaveTime">Zoom's <c>leave_time</c>, when present.</param>
/// <param name="LeaveReason">Zoom's free-text <c>leave_reason</c>, when present.</param>
public sealed record WebinarParticipantLeft(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Webinar,
    ParticipantRef Participant,
    DateTimeOffset? LeaveTime,
    string? LeaveReason) : INotification;
