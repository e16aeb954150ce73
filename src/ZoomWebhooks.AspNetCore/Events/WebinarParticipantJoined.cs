using MediatR;

namespace ZoomWebhooks;

/// <summary><c>webinar.participant_joined</c>: an attendee or panelist joined (also again, after leaving).</summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Webinar">The webinar, <c>payload.object</c>.</param>
/// <param name="Participant">Who, <c>payload.object.participant</c>; a registered attendee carries <see cref="ParticipantRef.RegistrantId"/>.</param>
/// <param name="JoinTime">Zoom's <c>join_time</c>, when present.</param>
public sealed record WebinarParticipantJoined(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Webinar,
    ParticipantRef Participant,
    DateTimeOffset? JoinTime) : INotification;
