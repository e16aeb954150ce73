using System.Data.Common;
using System.Runtime.CompilerServices;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// What the SQLite and PostgreSQL inboxes share: the statements in <see cref="InboxSql"/> with their
/// parameters, and the reads with their mapping of rows, over plain ADO.NET. A provider supplies its
/// connection, its schema, its claim and how it writes (SQLite through one writer, PostgreSQL on
/// pooled connections).
/// </summary>
internal abstract class AdoNetInbox : IInbox
{
    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Each provider stores differently: SQLite through its group commit, PostgreSQL with a retried insert.</summary>
    public abstract Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken);

    public Task<int> RenewAsync(string leaseToken, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        WriteAsync(InboxSql.Renew, [new("lease_token", leaseToken), new("lease_until", leaseUntil.ToUnixTimeMilliseconds())], cancellationToken);

    public Task<bool> CompleteAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, InboxSql.Complete, now, error: null, cancellationToken, finishes: true);

    public Task<bool> RescheduleAsync(ClaimedEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, InboxSql.Reschedule, nextAttemptAt, error, cancellationToken);

    public Task<bool> MarkDeadAsync(ClaimedEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, InboxSql.MarkDead, now, error, cancellationToken, finishes: true);

    public Task<bool> ReleaseAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, InboxSql.Release, now, error: null, cancellationToken);

    public async Task<InboxEntry?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, InboxSql.Find);
        Add(command, "id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader) : null;
    }

    /// <summary>Every row, oldest first: what a move to another store copies.</summary>
    public async IAsyncEnumerable<InboxEntry> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, InboxSql.All);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadEntry(reader);
        }
    }

    public async Task<IReadOnlyList<InboxSummary>> ListAsync(InboxQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, InboxSql.List);
        Add(command, "status", query.Status);
        Add(command, "event_name", query.EventName);
        Add(command, "since", query.Since?.ToUnixTimeMilliseconds());
        Add(command, "before_id", query.BeforeId);
        Add(command, "limit", query.Limit);
        var rows = new List<InboxSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new InboxSummary(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3), NullableString(reader, 4),
                FromMs(reader.GetInt64(5)), reader.GetString(6), reader.GetInt32(7), FromMs(reader.GetInt64(8)),
                NullableString(reader, 9), NullableTime(reader, 10)));
        }

        return rows;
    }

    public Task<int> ReplayAsync(InboxSelection selection, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(InboxSql.Replay,
            [new("id", selection.Id), new("status", selection.Status), new("event_name", selection.EventName), new("now", now.ToUnixTimeMilliseconds())],
            cancellationToken);

    public virtual Task<int> DeleteAsync(string status, DateTimeOffset before, CancellationToken cancellationToken) =>
        WriteAsync(InboxSql.Delete, [new("status", status), new("before", before.ToUnixTimeMilliseconds())], cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Db.CountByStatusAsync(connection, InboxSql.CountByStatus, InboxStatus.All, cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, InboxSql.Ping);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs a claim statement (one returning <see cref="InboxSql.ClaimedColumns"/>) and reads the leased events, oldest first.</summary>
    protected static async Task<IReadOnlyList<ClaimedEvent>> ReadClaimedAsync(
        DbCommand command, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var leaseToken = Guid.NewGuid().ToString("N");
        Add(command, "now", now.ToUnixTimeMilliseconds());
        Add(command, "lease_until", (now + lease).ToUnixTimeMilliseconds());
        Add(command, "lease_token", leaseToken);
        Add(command, "limit", maxCount);

        var claimed = new List<ClaimedEvent>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(Claimed(reader, leaseToken));
            }
        }

        // RETURNING gives no order; the dispatcher starts with the oldest.
        claimed.Sort((a, b) => (a.EventTs, a.Id).CompareTo((b.EventTs, b.Id)));
        return claimed;
    }

    /// <summary>One write statement of <see cref="InboxSql"/>; the count of rows it changed.</summary>
    protected abstract Task<int> WriteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one of the settle statements on a leased row; true when this lease still held it. One
    /// that <paramref name="finishes"/> the event (done, dead) also marks the next event of its
    /// ordering key its head (<see cref="InboxSql.Promote"/>), in the same transaction: on
    /// PostgreSQL a second statement, whether or not the lease still held, since a head marked
    /// early is only passed over; on SQLite a trigger of the finishing row (<see cref="Sqlite.SqliteSchema.PromoteOnFinish"/>).
    /// </summary>
    protected abstract Task<bool> UpdateLeasedAsync(
        ClaimedEvent claimed, string sql, DateTimeOffset at, string? error, CancellationToken cancellationToken, bool finishes = false);

    private static InboxEntry ReadEntry(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3),
        NullableString(reader, 4), NullableString(reader, 5), reader.GetString(6), (byte[])reader.GetValue(7),
        FromMs(reader.GetInt64(8)), reader.GetString(9), reader.GetInt32(10), FromMs(reader.GetInt64(11)),
        NullableTime(reader, 12), NullableString(reader, 13), NullableTime(reader, 14), NullableString(reader, 15), NullableString(reader, 16),
        reader.GetString(17));
}
