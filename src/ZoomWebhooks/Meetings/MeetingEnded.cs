using MediatR;

namespace ZoomWebhooks.Meetings;

/// <summary><c>meeting.ended</c>.</summary>
public sealed record MeetingEnded(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Meeting,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime) : INotification;

internal sealed partial class LogMeetingEnded(ILogger<LogMeetingEnded> logger) : INotificationHandler<MeetingEnded>
{
    public Task Handle(MeetingEnded notification, CancellationToken cancellationToken)
    {
        var meeting = notification.Meeting;
        Log.Ended(logger, meeting.Uuid, meeting.Id, meeting.Topic, meeting.HostId, notification.EndTime);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Meeting {MeetingUuid} ({MeetingId}) '{Topic}' of host {HostId} ended at {EndTime}")]
        public static partial void Ended(ILogger logger, string meetingUuid, string meetingId, string? topic, string? hostId, DateTimeOffset? endTime);
    }
}
