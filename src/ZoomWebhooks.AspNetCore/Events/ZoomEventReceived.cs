using MediatR;

namespace ZoomWebhooks;

/// <summary>
/// Published for every stored event, typed or not, after its typed notification if it has one.
/// Zoom has more than a hundred event names; a handler of this one sees them all.
/// </summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt, so the key for an idempotent handler.</param>
/// <param name="EventName">Zoom's <c>event</c>, such as <c>recording.completed</c>.</param>
/// <param name="EventTs">Zoom's <c>event_ts</c>, milliseconds since the Unix epoch (the time of receipt when Zoom sent none).</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="RawJson">The body exactly as Zoom sent it; it may hold secrets (<c>download_token</c>): never log it.</param>
public sealed record ZoomEventReceived(
    long InboxId,
    string EventName,
    long EventTs,
    string? AccountId,
    string RawJson) : INotification
{
    /// <summary><see cref="EventTs"/> as a time.</summary>
    public DateTimeOffset EventTime => DateTimeOffset.FromUnixTimeMilliseconds(EventTs);
}
