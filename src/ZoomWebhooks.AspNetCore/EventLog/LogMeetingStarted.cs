using MediatR;

namespace ZoomWebhooks.EventLog;

internal sealed partial class LogMeetingStarted(ILogger<LogMeetingStarted> logger) : INotificationHandler<MeetingStarted>
{
    public Task Handle(MeetingStarted notification, CancellationToken cancellationToken)
    {
        var meeting = notification.Meeting;
        Log.Started(logger, meeting.Uuid, meeting.Id, meeting.Topic, meeting.HostId, notification.StartTime);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Meeting {MeetingUuid} ({MeetingId}) '{Topic}' started by host {HostId} at {StartTime}")]
        public static partial void Started(ILogger logger, string meetingUuid, string meetingId, string? topic, string? hostId, DateTimeOffset? startTime);
    }
}
