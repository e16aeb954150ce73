using MediatR;

namespace ZoomWebhooks;

/// <summary>
/// Published for every stored event, typed or not, after its typed notification if it has one.
/// Zoom has more than a hundred event names; a handler of this one sees them all.
/// </summary>
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
