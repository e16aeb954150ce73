using MediatR;

namespace ZoomWebhooks.EventLog;

internal sealed partial class LogParticipantLeft(ILogger<LogParticipantLeft> logger) : INotificationHandler<ParticipantLeft>
{
    public Task Handle(ParticipantLeft notification, CancellationToken cancellationToken)
    {
        var (meeting, participant) = (notification.Meeting, notification.Participant);
        Log.Left(logger, participant.UserId, participant.UserName, meeting.Uuid, meeting.Id, notification.LeaveTime, notification.LeaveReason);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Participant {UserId} '{ParticipantName}' left meeting {MeetingUuid} ({MeetingId}) at {LeaveTime}: {LeaveReason}")]
        public static partial void Left(ILogger logger, string? userId, string? participantName, string meetingUuid, string meetingId, DateTimeOffset? leaveTime, string? leaveReason);
    }
}
