using MediatR;

namespace ZoomWebhooks;

/// <summary><c>meeting.ended</c>.</summary>
public sealed record MeetingEnded(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Meeting,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime) : INotification;
