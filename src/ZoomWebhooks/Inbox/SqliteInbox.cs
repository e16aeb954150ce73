using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// The embedded default. WAL with <c>synchronous=FULL</c>: a commit is on disk (fsync'd) before
/// Zoom hears 200, so an acknowledged event survives power loss, not only a process crash.
/// https://www.sqlite.org/pragma.html#pragma_synchronous
/// </summary>
public sealed class SqliteInbox : IInbox, IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteGroupCommit _writes;

    public SqliteInbox(string connectionString)
    {
        _connectionString = PrepareConnectionString(connectionString);
        _writes = new SqliteGroupCommit(_connectionString);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        // IMMEDIATE takes the write lock first, so two services starting on one file migrate once.
        await ExecuteAsync(connection, "BEGIN IMMEDIATE;", cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), null);
        for (var next = version + 1; next <= SqliteSchema.Migrations.Count; next++)
        {
            await ExecuteAsync(connection, SqliteSchema.Migrations[next - 1], cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA user_version = {next};", cancellationToken);
        }

        await ExecuteAsync(connection, "COMMIT;", cancellationToken);
    }

    /// <summary>Concurrent accepts share one transaction and one fsync: see <see cref="SqliteGroupCommit"/>.</summary>
    public Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken) =>
        _writes.AcceptAsync(incoming, cancellationToken);

    /// <summary>Finishes the writes already queued, then closes the writer's connection.</summary>
    public void Dispose() => _writes.Dispose();

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var request = new ClaimRequest(now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), Guid.NewGuid().ToString("N"), maxCount);
        var claimed = await _writes.ClaimAsync(request, cancellationToken);
        claimed.Sort((a, b) => (a.EventTs, a.Id).CompareTo((b.EventTs, b.Id)));
        return claimed;
    }

    public Task<bool> CompleteAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, """
            UPDATE inbox_events
            SET status = 'done', completed_at = @at, last_error = NULL, lease_until = NULL, lease_token = NULL
            WHERE id = @id AND lease_token = @lease_token AND status = 'processing';
            """, now, error: null, cancellationToken);

    public Task<bool> RescheduleAsync(ClaimedEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, """
            UPDATE inbox_events
            SET status = 'pending', next_attempt_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL
            WHERE id = @id AND lease_token = @lease_token AND status = 'processing';
            """, nextAttemptAt, error, cancellationToken);

    public Task<bool> MarkDeadAsync(ClaimedEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, """
            UPDATE inbox_events
            SET status = 'dead', completed_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL
            WHERE id = @id AND lease_token = @lease_token AND status = 'processing';
            """, now, error, cancellationToken);

    public Task<bool> ReleaseAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateLeasedAsync(claimed, """
            UPDATE inbox_events
            SET status = 'pending', attempts = MAX(attempts - 1, 0), next_attempt_at = @at, lease_until = NULL, lease_token = NULL
            WHERE id = @id AND lease_token = @lease_token AND status = 'processing';
            """, now, error: null, cancellationToken);

    public async Task<InboxEntry?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event_name, event_ts, meeting_uuid, request_id, tracking_id, body_hash, body, received_at,
                   status, attempts, next_attempt_at, lease_until, last_error, completed_at
            FROM inbox_events WHERE id = @id;
            """;
        command.Parameters.AddWithValue("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new InboxEntry(
            reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3),
            NullableString(reader, 4), NullableString(reader, 5), reader.GetString(6), (byte[])reader.GetValue(7),
            FromMs(reader.GetInt64(8)), reader.GetString(9), reader.GetInt32(10), FromMs(reader.GetInt64(11)),
            NullableTime(reader, 12), NullableString(reader, 13), NullableTime(reader, 14));
    }

    public async Task<IReadOnlyList<InboxSummary>> ListAsync(InboxQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSchema.List;
        command.Parameters.AddWithValue("@status", (object?)query.Status ?? DBNull.Value);
        command.Parameters.AddWithValue("@event_name", (object?)query.EventName ?? DBNull.Value);
        command.Parameters.AddWithValue("@since", (object?)query.Since?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("@before_id", (object?)query.BeforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("@limit", query.Limit);
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

    public async Task<int> ReplayAsync(InboxSelection selection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSchema.Replay;
        command.Parameters.AddWithValue("@id", (object?)selection.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("@status", (object?)selection.Status ?? DBNull.Value);
        command.Parameters.AddWithValue("@event_name", (object?)selection.EventName ?? DBNull.Value);
        command.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteAsync(string status, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSchema.Delete;
        command.Parameters.AddWithValue("@status", status);
        command.Parameters.AddWithValue("@before", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteSchema.CountByStatus;
        var counts = InboxStatus.All.ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ScalarAsync(connection, "SELECT count(*) FROM inbox_events WHERE 0;", cancellationToken);
    }

    // Settles share the accepts' group commit: four dispatch workers finishing at once cost one fsync.
    private Task<bool> UpdateLeasedAsync(ClaimedEvent claimed, string sql, DateTimeOffset at, string? error, CancellationToken cancellationToken) =>
        _writes.UpdateLeasedAsync(new LeasedUpdate(sql, claimed.Id, claimed.LeaseToken, at.ToUnixTimeMilliseconds(), error), cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // synchronous is per connection and not part of the connection string.
            await ExecuteAsync(connection, "PRAGMA synchronous = FULL;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string PrepareConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        // Writers queue behind each other instead of failing with SQLITE_BUSY at once.
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 5;
        }

        return builder.ToString();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromMs(reader.GetInt64(ordinal));

    private static DateTimeOffset FromMs(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
