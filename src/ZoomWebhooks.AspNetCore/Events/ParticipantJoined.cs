using MediatR;

namespace ZoomWebhooks;

/// <summary><c>meeting.participant_joined</c>: someone joined (also again, after leaving).</summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Meeting">The meeting, <c>payload.object</c>.</param>
/// <param name="Participant">Who, <c>payload.object.participant</c>.</param>
/// <param name="JoinTime">Zoom's <c>join_time</c>, when present.</param>
public sealed record ParticipantJoined(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Meeting,
    ParticipantRef Participant,
    DateTimeOffset? JoinTime) : INotification;
