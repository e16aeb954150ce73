using MediatR;

namespace ZoomWebhooks.EventLog;

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
