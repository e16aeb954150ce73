using MediatR;

namespace ZoomWebhooks;

/// <summary><c>meeting.participant_left</c>.</summary>
public sealed record ParticipantLeft(
    long InboxId,
    DateTimeOffset EventTime,
    string? AccountId,
    MeetingRef Meeting,
    ParticipantRef Participant,
    DateTimeOffset? LeaveTime,
    string? LeaveReason) : INotification;
