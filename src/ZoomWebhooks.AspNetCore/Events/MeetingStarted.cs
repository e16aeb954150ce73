using MediatR;

namespace ZoomWebhooks;

/// <summary><c>meeting.started</c>.</summary>
public sealed record MeetingStarted(long InboxId, DateTimeOffset EventTime, string? AccountId, MeetingRef Meeting, DateTimeOffset? StartTime)
    : INotification;
