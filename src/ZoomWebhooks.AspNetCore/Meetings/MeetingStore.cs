using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// Meeting facts in the inbox's database, over plain ADO.NET. One class serves both providers:
/// the statements (<see cref="MeetingSql"/>) are shared and only opening a connection differs, so
/// no interface is needed for the seam.
/// </summary>
internal sealed class MeetingStore(InboxDatabase database)
{
    /// <summary>Adds the fact unless it is already there; true when it was new.</summary>
    public async Task<bool> AppendAsync(MeetingFact fact, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(MeetingSql.Append, Parameters(fact), cancellationToken) == 1;

    /// <summary>Deletes the meetings a user hosted in an account (<see cref="MeetingSql.DeleteHosted"/>); the count of facts removed.</summary>
    public Task<int> DeleteHostedAsync(string accountId, string? hostId, CancellationToken cancellationToken) =>
        database.ExecuteAsync(MeetingSql.DeleteHosted, [new("account_id", accountId), new("host_id", hostId)], cancellationToken);

    private static List<KeyValuePair<string, object?>> Parameters(MeetingFact fact) =>
    [
        new("meeting_uuid", fact.MeetingUuid),
        new("kind", fact.Kind),
        new("participant_key", fact.ParticipantKey),
        new("occurred_at", fact.OccurredAt.ToUnixTimeMilliseconds()),
        new("event_ts", fact.EventTs),
        new("inbox_id", fact.InboxId),
        new("meeting_id", fact.MeetingId),
        new("topic", fact.Topic),
        new("host_id", fact.HostId),
        new("account_id", fact.AccountId),
        new("meeting_start", fact.MeetingStart?.ToUnixTimeMilliseconds()),
        new("participant_name", fact.ParticipantName),
        new("user_id", fact.UserId),
        new("participant_user_id", fact.ParticipantUserId),
        new("email", fact.Email),
        new("meeting_kind", fact.Subject),
    ];

    /// <summary>
    /// Meetings, latest start first; <paramref name="since"/> keeps those starting at or after it,
    /// <paramref name="kind"/> (<see cref="MeetingKind"/>) only meetings or only webinars.
    /// </summary>
    public Task<IReadOnlyList<MeetingSummary>> ListAsync(
        string? status, DateTimeOffset? since, int limit, CancellationToken cancellationToken, string? kind = null) =>
        SummariesAsync(MeetingSql.List(status, kind),
            [new("since", since?.ToUnixTimeMilliseconds() ?? long.MinValue), new("limit", limit), new("kind", kind)], cancellationToken);

    /// <summary>One meeting with its attendance, or null when no fact of it is known.</summary>
    public async Task<MeetingDetail?> FindAsync(string uuid, CancellationToken cancellationToken)
    {
        var facts = await FactsAsync(uuid, cancellationToken);
        return facts.Count == 0 ? null : MeetingProjection.Project(uuid, facts);
    }

    /// <summary>The listing's view of one meeting (SQL), to check it against <see cref="FindAsync"/> (C#).</summary>
    public async Task<MeetingSummary?> SummaryAsync(string uuid, CancellationToken cancellationToken) =>
        (await SummariesAsync(MeetingSql.Summary, [new("uuid", uuid)], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<MeetingFact>> FactsAsync(string uuid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, MeetingSql.Facts);
        Add(command, "uuid", uuid);
        var facts = new List<MeetingFact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            facts.Add(new MeetingFact(
                uuid, reader.GetString(0), reader.GetString(1), NullableTime(reader, 2)!.Value, reader.GetInt64(3), reader.GetInt64(4),
                NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8), NullableTime(reader, 9),
                NullableString(reader, 10), NullableString(reader, 11), NullableString(reader, 12), NullableString(reader, 13), reader.GetString(14)));
        }

        return facts;
    }

    private async Task<IReadOnlyList<MeetingSummary>> SummariesAsync(
        string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = InboxDatabase.Command(connection, sql, parameters);
        var meetings = new List<MeetingSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var end = NullableTime(reader, 6);
            meetings.Add(new MeetingSummary(
                reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2), NullableString(reader, 3), NullableString(reader, 4), NullableTime(reader, 5), end,
                end is null ? MeetingSummary.Live : MeetingSummary.Ended, reader.GetString(7)));
        }

        return meetings;
    }

}
