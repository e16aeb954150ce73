using MediatR;

namespace ZoomWebhooks.EventLog;

internal sealed partial class LogParticipantJoined(ILogger<LogParticipantJoined> logger) : INotificationHandler<ParticipantJoined>
{
    public Task Handle(ParticipantJoined notification, CancellationToken cancellationToken)
    {
        var (meeting, participant) = (notification.Meeting, notification.Participant);
        Log.Joined(logger, participant.UserId, participant.UserName, meeting.Uuid, meeting.Id, notification.JoinTime);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        // Never the email: it is personal data and a log is no place for it.
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Participant {UserId} '{ParticipantName}' joined meeting {MeetingUuid} ({MeetingId}) at {JoinTime}")]
        public static partial void Joined(ILogger logger, string? userId, string? participantName, string meetingUuid, string meetingId, DateTimeOffset? joinTime);
    }
}
