using MediatR;

namespace ZoomWebhooks;

/// <summary><c>webinar.ended</c>: a webinar ended.</summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Webinar">The webinar, <c>payload.object</c>.</param>
/// <param name="StartTime">Zoom's <c>start_time</c>, when present.</param>
/// <param name="EndTime">Zoom's <c>end_time</c>, when present.</param>
public sealed record WebinarEnded(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Webinar,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime) : INotification;
