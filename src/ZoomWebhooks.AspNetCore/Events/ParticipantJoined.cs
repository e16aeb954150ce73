using MediatR;

namespace ZoomWebhooks;

/// <summary><c>meeting.participant_joined</c>.</summary>
public sealed record ParticipantJoined(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Meeting,
    ParticipantRef Participant,
    DateTimeOffset? JoinTime) : INotification;
