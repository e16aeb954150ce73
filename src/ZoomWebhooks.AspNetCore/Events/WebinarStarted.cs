using MediatR;

namespace ZoomWebhooks;

/// <summary><c>webinar.started</c>: a webinar began. Zoom shapes it like <c>meeting.started</c>, the webinar in <c>payload.object</c>.</summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Webinar">The webinar, <c>payload.object</c> (its uuid, number, topic and host).</param>
/// <param name="StartTime">Zoom's <c>start_time</c>, when present.</param>
public sealed record WebinarStarted(long InboxId, DateTimeOffset EventTime, string? AccountId, MeetingRef Webinar, DateTimeOffset? StartTime)
    : INotification;
