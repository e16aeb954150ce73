using System.Text;
using System.Text.Json;
using ZoomWebhooks.Events;

namespace ZoomWebhooks;

/// <summary>
/// The meeting an event is about. <see cref="Uuid"/> identifies one occurrence (base64, may hold
/// '+', '/' and '=='); <see cref="Id"/> is the meeting number, shared by every occurrence.
/// </summary>
public sealed record MeetingRef(string Uuid, string Id, string? Topic, string? HostId)
{
    internal static MeetingRef From(JsonElement meeting) => new(
        ZoomJson.Text(meeting, "uuid") ?? "",
        ZoomJson.Text(meeting, "id") ?? "",
        ZoomJson.Text(meeting, "topic"),
        ZoomJson.Text(meeting, "host_id"));
}

/// <summary>A participant as Zoom describes one; guests may have no user ids and no email.</summary>
public sealed record ParticipantRef(
    string? UserId,
    string? UserName,
    string? Id,
    string? ParticipantUserId,
    string? ParticipantUuid,
    string? Email)
{
    internal static ParticipantRef From(JsonElement participant) => new(
        ZoomJson.Text(participant, "user_id"),
        ZoomJson.Text(participant, "user_name"),
        ZoomJson.Text(participant, "id"),
        ZoomJson.Text(participant, "participant_user_id"),
        ZoomJson.Text(participant, "participant_uuid"),
        ZoomJson.Text(participant, "email"));

    // A record prints every property; keep the email out of any log line that prints one.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"UserId = {UserId}, UserName = {UserName}, Id = {Id}, ParticipantUserId = {ParticipantUserId}, ");
        builder.Append($"ParticipantUuid = {ParticipantUuid}, Email = {(Email is null ? "" : "(hidden)")}");
        return true;
    }
}
