namespace ZoomWebhooks.Meetings;

/// <summary>What a fact's uuid is: a meeting or a webinar (<c>meeting_kind</c>, the read API's <c>"kind"</c>).</summary>
internal static class MeetingKind
{
    public const string Meeting = "meeting";
    public const string Webinar = "webinar";
}

/// <summary>The kinds of <see cref="MeetingFact"/>, as stored.</summary>
internal static class FactKind
{
    public const string Started = "started";
    public const string Ended = "ended";
    public const string Joined = "joined";
    public const string Left = "left";
}

/// <summary>
/// One thing Zoom said about a meeting or a webinar, at Zoom's own time: a start, an end, a join or a leave.
/// Facts are only ever added, never updated, and a repeat (same meeting, kind, participant and
/// time) is a no-op; everything shown is computed from the set of facts by
/// <see cref="MeetingProjection"/>, so the order in which Zoom delivered them cannot matter.
/// </summary>
/// <param name="OccurredAt">Zoom's time of the fact (start_time, end_time, join_time, leave_time; event_ts when absent).</param>
/// <param name="MeetingStart">The meeting's start_time as this event states it, if it does.</param>
/// <param name="Subject">A <see cref="MeetingKind"/>: whether the uuid is a meeting's or a webinar's.</param>
internal sealed record MeetingFact(
    string MeetingUuid,
    string Kind,
    string ParticipantKey,
    DateTimeOffset OccurredAt,
    long EventTs,
    long InboxId,
    string? MeetingId = null,
    string? Topic = null,
    string? HostId = null,
    string? AccountId = null,
    DateTimeOffset? MeetingStart = null,
    string? ParticipantName = null,
    string? UserId = null,
    string? ParticipantUserId = null,
    string? Email = null,
    string Subject = MeetingKind.Meeting)
{
    /// <summary>What makes two facts the same fact: the store's primary key.</summary>
    public (string, string, string, long) Key => (MeetingUuid, Kind, ParticipantKey, OccurredAt.ToUnixTimeMilliseconds());

    public bool IsAttendance => Kind is FactKind.Joined or FactKind.Left;

    /// <summary>Who a participant is across their joins and leaves: the rule of <see cref="ParticipantRef.Key"/>.</summary>
    public static string KeyOf(ParticipantRef participant) => participant.Key;

    // A record prints every property; keep the email out of any log or assertion message.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"MeetingUuid = {MeetingUuid}, Kind = {Kind}, ParticipantKey = {ParticipantKey}, OccurredAt = {OccurredAt:O}, ");
        builder.Append($"EventTs = {EventTs}, InboxId = {InboxId}, Email = {(Email is null ? "" : "(hidden)")}");
        return true;
    }
}
