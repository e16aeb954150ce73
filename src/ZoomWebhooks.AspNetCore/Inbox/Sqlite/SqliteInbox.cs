using System.Data.Common;
using static ZoomWebhooks.Inbox.Db;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// The embedded default. WAL with <c>synchronous=FULL</c>: a commit is on disk (fsync'd) before
/// Zoom hears 200, so an acknowledged event survives power loss, not only a process crash.
/// https://www.sqlite.org/pragma.html#pragma_synchronous
/// </summary>
internal sealed class SqliteInbox : AdoNetInbox, IDisposable
{
    private const string TakeBackLeases =
        "UPDATE inbox_events SET status = 'pending', lease_until = NULL, lease_token = NULL WHERE status = 'processing';";

    private readonly string _connectionString;
    private readonly SqliteGroupCommit _writes;
    private readonly bool _ownsWriter;

    public SqliteInbox(string connectionString)
        : this(connectionString, new SqliteGroupCommit(PrepareConnectionString(connectionString)), ownsWriter: true)
    {
    }

    /// <summary>With the process's writer for this file, shared with the meeting facts (see InboxSetup).</summary>
    internal SqliteInbox(string connectionString, SqliteGroupCommit writes, bool ownsWriter = false)
    {
        _connectionString = PrepareConnectionString(connectionString);
        _writes = writes;
        _ownsWriter = ownsWriter;
    }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // An up-to-date file needs no write at start, so a store that turned read-only still
        // starts and answers 503 for what it cannot store, rather than refusing to run at all.
        if (await VersionAsync(connection, cancellationToken) >= SqliteSchema.Migrations.Count)
        {
            await TakeBackLeasesAsync(connection, cancellationToken);
            return;
        }

        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        // IMMEDIATE takes the write lock first, so two services starting on one file migrate once.
        await ExecuteAsync(connection, "BEGIN IMMEDIATE;", cancellationToken);
        for (var next = await VersionAsync(connection, cancellationToken) + 1; next <= SqliteSchema.Migrations.Count; next++)
        {
            await ExecuteAsync(connection, SqliteSchema.Migrations[next - 1], cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA user_version = {next};", cancellationToken);
        }

        await ExecuteAsync(connection, "COMMIT;", cancellationToken);
        await TakeBackLeasesAsync(connection, cancellationToken);
    }

    /// <summary>
    /// SQLite is one process per file by design: one node, its dispatcher the only one (several
    /// receivers share PostgreSQL instead, whose start leaves leases alone). So at start every
    /// 'processing' row was leased by a previous process that died before settling it (a crash,
    /// <c>kill -9</c>, a power cut), and nobody else is working on it: it is due now instead of when
    /// its lease runs out, up to <see cref="InboxOptions.LeaseDuration"/> later (issue 13). The
    /// attempt counts, as a lease that ran out would, so an event that kills the process still ends
    /// dead after <see cref="InboxOptions.MaxAttempts"/>. <c>next_attempt_at</c> stays: it is no
    /// later than the claim, so the row is due at once. Two processes on one file are not
    /// supported (stop the old one before starting the new one): this would hand the running
    /// one's events to the new one while it still works on them.
    /// </summary>
    private static async Task TakeBackLeasesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var any = Command(connection, "SELECT EXISTS (SELECT 1 FROM inbox_events WHERE status = 'processing');");
        if (Convert.ToInt64(await any.ExecuteScalarAsync(cancellationToken), null) == 0)
        {
            // No write when there is nothing to take back: a read-only store still starts.
            return;
        }

        await ExecuteAsync(connection, TakeBackLeases, cancellationToken);
    }

    private static async Task<int> VersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var read = Command(connection, "PRAGMA user_version;");
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), null);
    }

    /// <summary>Accepts share one transaction and one fsync (<see cref="SqliteGroupCommit"/>).</summary>
    public override Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken) =>
        _writes.AcceptAsync(incoming, cancellationToken);

    /// <summary>
    /// Claims go through the same single writer: one UPDATE statement is atomic in SQLite, so the
    /// per-key check and the lease cannot interleave with another claim, and the writer never
    /// waits on a sibling's lock.
    /// </summary>
    public override async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var request = new ClaimRequest(now.ToUnixTimeMilliseconds(), (now + lease).ToUnixTimeMilliseconds(), Guid.NewGuid().ToString("N"), maxCount);
        var claimed = await _writes.ClaimAsync(request, cancellationToken);
        claimed.Sort((a, b) => (a.EventTs, a.Id).CompareTo((b.EventTs, b.Id)));
        return claimed;
    }

    // Renewals, operator and retention writes join the single writer too: a long DELETE on a
    // connection of its own would hold SQLite's write lock while accepts wait behind it.
    protected override Task<int> WriteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        _writes.ExecuteAsync(sql, parameters, cancellationToken);

    /// <summary>
    /// A deletion (retention, an operator's purge) makes a repeat of a deleted event new again, as
    /// the unique indexes see it: the writer's memory of stored deliveries must not say otherwise.
    /// </summary>
    public override async Task<int> DeleteAsync(string status, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = await base.DeleteAsync(status, before, cancellationToken);
        if (deleted > 0)
        {
            _writes.ForgetRecent();
        }

        return deleted;
    }

    /// <summary>Finishes the writes already queued, then closes the writer's connection.</summary>
    public void Dispose()
    {
        if (_ownsWriter)
        {
            _writes.Dispose();
        }
    }

    // Settles share the accepts' group commit: four dispatch workers finishing at once cost one fsync.
    // One that finishes needs nothing more: the row's trigger promotes its key's next event.
    protected override Task<bool> UpdateLeasedAsync(
        ClaimedEvent claimed, string sql, DateTimeOffset at, string? error, CancellationToken cancellationToken, bool finishes = false) =>
        _writes.UpdateLeasedAsync(
            new LeasedUpdate(sql, claimed.Id, claimed.LeaseToken, at.ToUnixTimeMilliseconds(), error),
            cancellationToken);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
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

    /// <summary>The file a connection string opens; null for an in-memory database.</summary>
    internal static string? FileOf(SqliteConnectionStringBuilder builder) =>
        builder.DataSource is { Length: > 0 } file && file != ":memory:" && builder.Mode != SqliteOpenMode.Memory ? file : null;

    internal static string PrepareConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (FileOf(builder) is { } file)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                OwnerOnly.CreateDirectory(folder);
            }

            // Before SQLite creates it with the umask's 0644: it holds emails and download tokens.
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                OwnerOnly.CreateFile(file);
            }
        }

        // Writers queue behind each other instead of failing with SQLITE_BUSY at once.
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = 5;
        }

        return builder.ToString();
    }
}
