using System.Data;
using System.Data.Common;
using static ZoomWebhooks.Inbox.Db;
using Npgsql;
using Polly;

namespace ZoomWebhooks.Inbox.Postgres;

/// <summary>
/// The inbox several receivers share. Accepting is one insert that ignores conflicts on the dedup
/// keys; claiming leases rows with <c>FOR UPDATE SKIP LOCKED</c>; a crashed receiver's leases run
/// out and another receiver takes its events over. Durability is the server's (synchronous_commit
/// on by default): the commit returns once the WAL is flushed, before Zoom hears 200.
/// </summary>
internal sealed partial class PostgresInbox : AdoNetInbox, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly ResiliencePipeline _acceptPipeline;
    private readonly ILogger<PostgresInbox> _logger;

    /// <summary>An inbox with a connection pool of its own, closed with it.</summary>
    public PostgresInbox(string connectionString, TimeProvider time, ILogger<PostgresInbox> logger)
        : this(NpgsqlDataSource.Create(connectionString), time, logger) => _ownsDataSource = true;

    /// <summary>On the process's data source, shared with the other features' stores (see InboxSetup); the caller owns it.</summary>
    public PostgresInbox(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresInbox> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _acceptPipeline = AcceptRetry.Create(time, logger);
    }

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Receivers starting together queue here; the first migrates, the others find it done.
        // DDL is transactional in PostgreSQL, so a failed migration leaves the previous version.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.MigrationLock});", cancellationToken);
        await ExecuteAsync(connection, PostgresSchema.VersionTable, cancellationToken);
        await using var read = Command(connection, PostgresSchema.CurrentVersion);
        var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), null);
        for (var next = version + 1; next <= PostgresSchema.Migrations.Count; next++)
        {
            await ExecuteAsync(connection, PostgresSchema.Migrations[next - 1], cancellationToken);
            await using var record = Command(connection, PostgresSchema.RecordVersion);
            Add(record, "version", next);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (version > PostgresSchema.Migrations.Count)
        {
            // A newer receiver migrated already (a rolling upgrade); migrations only add, so go on.
            Log.NewerSchema(_logger, version, PostgresSchema.Migrations.Count);
        }
    }

    /// <summary>
    /// Retries transient failures briefly (see <see cref="AcceptRetry"/>): a retry is safe because
    /// the insert is idempotent, a repeat of a committed attempt only finds the row already there.
    /// </summary>
    public override async Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken) =>
        await _acceptPipeline.ExecuteAsync(
            static (state, token) => new ValueTask<AcceptResult>(state.self.AcceptOnceAsync(state.incoming, token)),
            (self: this, incoming),
            cancellationToken);

    public override async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // See PostgresSchema.Claim for why claims are serialized.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.ClaimLock});", cancellationToken);
        await using var command = Command(connection, PostgresSchema.Claim);
        var claimed = await ReadClaimedAsync(command, maxCount, now, lease, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>Copies one row of another inbox (<see cref="PostgresSchema.Import"/>); false when it is already here.</summary>
    public async Task<bool> ImportAsync(InboxEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, PostgresSchema.Import);
        Add(command, "event_name", entry.EventName);
        Add(command, "event_ts", entry.EventTs);
        Add(command, "meeting_uuid", entry.MeetingUuid);
        Add(command, "request_id", entry.RequestId);
        Add(command, "tracking_id", entry.TrackingId);
        Add(command, "body_hash", entry.BodyHash);
        Add(command, "body", entry.Body);
        Add(command, "received_at", entry.ReceivedAt.ToUnixTimeMilliseconds());
        Add(command, "status", entry.Status);
        Add(command, "attempts", entry.Attempts);
        Add(command, "next_attempt_at", entry.NextAttemptAt.ToUnixTimeMilliseconds());
        Add(command, "last_error", entry.LastError);
        Add(command, "completed_at", entry.CompletedAt?.ToUnixTimeMilliseconds());
        Add(command, "trace_parent", entry.TraceParent);
        Add(command, "ordering_key", entry.OrderingKey ?? (InboxStatus.IsFinished(entry.Status) ? null : entry.MeetingUuid));
        Add(command, "transport", entry.Transport);
        // The key the row had there: its body's event_ts and its request id (SqliteSchema.RequestKey).
        Add(command, "request_key", IncomingEvent.RequestKeyOf(Webhooks.WebhookEnvelope.TryParse(entry.Body, out var envelope) ? envelope.EventTs : null, entry.RequestId));
        return await command.ExecuteScalarAsync(cancellationToken) is not (null or DBNull);
    }

    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// An event with an ordering key is stored under the key's lock (<see cref="PostgresSchema.KeyLock"/>),
    /// so that whether it is the key's head is decided on what the key's last settle committed.
    /// </summary>
    private async Task<AcceptResult> AcceptOnceAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = incoming.OrderingKey is null ? null : await connection.BeginTransactionAsync(cancellationToken);
        if (incoming.OrderingKey is { } key)
        {
            await LockKeyAsync(connection, key, cancellationToken);
        }

        await using var command = InboxDatabase.Command(connection, PostgresSchema.Accept,
        [
            new("event_name", incoming.EventName),
            new("event_ts", incoming.EventTs),
            new("meeting_uuid", incoming.MeetingUuid),
            new("request_id", incoming.RequestId),
            new("tracking_id", incoming.TrackingId),
            new("body_hash", incoming.BodyHash),
            new("body", incoming.Body),
            new("received_at", incoming.ReceivedAt.ToUnixTimeMilliseconds()),
            new("trace_parent", incoming.TraceParent),
            new("ordering_key", incoming.OrderingKey),
            new("transport", incoming.Transport),
            new("request_key", incoming.RequestKey),
        ]);
        var id = await command.ExecuteScalarAsync(cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return id is null or DBNull ? AcceptResult.Duplicate : new AcceptResult(true, Convert.ToInt64(id, null));
    }

    private static async Task LockKeyAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, PostgresSchema.LockKey);
        Add(command, "ordering_key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<int> WriteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await InboxDatabase.ExecuteAsync(connection, sql, parameters, cancellationToken);
    }

    protected override async Task<bool> UpdateLeasedAsync(
        ClaimedEvent claimed, string sql, DateTimeOffset at, string? error, CancellationToken cancellationToken, bool finishes = false)
    {
        KeyValuePair<string, object?>[] parameters =
            [new("id", claimed.Id), new("lease_token", claimed.LeaseToken), new("at", at.ToUnixTimeMilliseconds()), new("error", error)];
        if (!finishes || claimed.OrderingKey is not { } key)
        {
            return await WriteAsync(sql, parameters, cancellationToken) == 1;
        }

        // Under the key's lock, as accepts: see InboxSql.Promote.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockKeyAsync(connection, key, cancellationToken);
        var held = await InboxDatabase.ExecuteAsync(connection, sql, parameters, cancellationToken) == 1;
        await InboxDatabase.ExecuteAsync(connection, InboxSql.Promote, [new("ordering_key", key)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return held;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The inbox schema is at version {SchemaVersion}, newer than this build's {KnownVersion}; a newer receiver upgraded it")]
        public static partial void NewerSchema(ILogger logger, int schemaVersion, int knownVersion);
    }
}
