using System.Text;
using System.Text.Json;
using ZoomWebhooks.Events;

namespace ZoomWebhooks;

/// <summary>
/// The meeting an event is about. <see cref="Uuid"/> identifies one occurrence (base64, may hold
/// '+', '/' and '=='); <see cref="Id"/> is the meeting number, shared by every occurrence.
/// </summary>
/// <param name="Uuid">This occurrence's uuid; empty when the payload has none.</param>
/// <param name="Id">The meeting number, as digits; empty when the payload has none.</param>
/// <param name="Topic">The meeting's topic.</param>
/// <param name="HostId">The host's Zoom user id.</param>
public sealed record MeetingRef(string Uuid, string Id, string? Topic, string? HostId)
{
    internal static MeetingRef From(JsonElement meeting) => new(
        ZoomJson.Text(meeting, "uuid") ?? "",
        ZoomJson.Text(meeting, "id") ?? "",
        ZoomJson.Text(meeting, "topic"),
        ZoomJson.Text(meeting, "host_id"));
}

/// <summary>
/// A participant as Zoom describes one; guests may have no user ids and no email, and
/// <see cref="ParticipantUuid"/> and <see cref="UserId"/> can change when a person leaves and rejoins.
/// </summary>
/// <param name="UserId">Zoom's <c>user_id</c> for this stay in the meeting.</param>
/// <param name="UserName">The display name: personal data, keep it out of logs.</param>
/// <param name="Id">Zoom's <c>id</c> of the participant.</param>
/// <param name="ParticipantUserId">Zoom's <c>participant_user_id</c>; empty for guests.</param>
/// <param name="ParticipantUuid">Zoom's <c>participant_uuid</c>.</param>
/// <param name="Email">The email, when Zoom sends one: personal data.</param>
public sealed record ParticipantRef(
    string? UserId,
    string? UserName,
    string? Id,
    string? ParticipantUserId,
    string? ParticipantUuid,
    string? Email)
{
    /// <summary>Zoom's <c>registrant_id</c>: who registered for a webinar or a meeting with registration; null when Zoom sends it null or empty.</summary>
    public string? RegistrantId { get; init; }

    /// <summary>
    /// Zoom's <c>custom_keys</c> (participant events from November 2026): the key-value pairs the
    /// inviting app attached to this participant's join link. Empty when absent.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> CustomKeys { get; init; } = [];

    /// <summary>
    /// Who this participant is across a leave and a rejoin (the attendance key and the ordering
    /// key): the <c>custom_keys</c> the inviting app set, else <c>registrant_id</c>, else
    /// <c>participant_uuid</c>, <c>participant_user_id</c>, <c>user_id</c>, and for a guest with
    /// no id the name. The first two are the app's and the registration's own ids, which survive
    /// a rejoin; <c>participant_uuid</c> and <c>user_id</c> may not (PROTOCOL.md).
    /// </summary>
    internal string Key =>
        CustomKeys.Count > 0 ? "custom:" + string.Join("&", CustomKeys.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal))
        : RegistrantId is { } registrant ? "registrant:" + registrant
        : ParticipantUuid ?? ParticipantUserId ?? UserId ?? UserName ?? "(unknown)";

    internal static ParticipantRef From(JsonElement participant) => new(
        ZoomJson.Text(participant, "user_id"),
        ZoomJson.Text(participant, "user_name"),
        ZoomJson.Text(participant, "id"),
        ZoomJson.Text(participant, "participant_user_id"),
        ZoomJson.Text(participant, "participant_uuid"),
        ZoomJson.Text(participant, "email"))
    {
        RegistrantId = ZoomJson.Text(participant, "registrant_id"),
        CustomKeys = ZoomJson.Pairs(participant, "custom_keys"),
    };

    // A record prints every property; keep the email out of any log line that prints one.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"UserId = {UserId}, UserName = {UserName}, Id = {Id}, ParticipantUserId = {ParticipantUserId}, ");
        builder.Append($"ParticipantUuid = {ParticipantUuid}, RegistrantId = {RegistrantId}, Email = {(Email is null ? "" : "(hidden)")}");
        return true;
    }
}
