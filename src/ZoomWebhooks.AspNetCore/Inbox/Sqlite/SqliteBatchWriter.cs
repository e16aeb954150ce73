using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>A claim of up to <paramref name="Limit"/> due events under a new lease.</summary>
internal readonly record struct ClaimRequest(long NowMs, long LeaseUntilMs, string LeaseToken, int Limit);

/// <summary>
/// An UPDATE of one leased row: the statement and its values. One that finishes the event marks
/// the next of its key its head by itself (<see cref="SqliteSchema.PromoteOnFinish"/>).
/// </summary>
internal readonly record struct LeasedUpdate(string Sql, long Id, string LeaseToken, long AtMs, string? Error);

/// <summary>
/// The group-commit writer's own connection, kept across batches with its prepared statements.
/// One <see cref="Run{T}"/> is one transaction: all of it is on disk when it returns, or none.
/// An item's own failure (a constraint, a value SQLite refuses) is rolled back alone and the
/// others still commit. An item of one statement needs nothing for that: SQLite backs out a
/// failed statement and keeps the transaction. An item of several statements runs under a
/// savepoint of its own, which costs a copy of every page it first touches into the savepoint's
/// journal, so accepts, claims, settles and one-statement writes (a meeting fact) do without (issue 15).
/// https://www.sqlite.org/lang_savepoint.html, https://www.sqlite.org/lang_conflict.html
/// </summary>
internal sealed class SqliteBatchWriter : IDisposable
{
    // The primary result codes of a statement's own failure (see IsItemsOwn).
    private const int SqliteError = 1;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _claim;
    private readonly Dictionary<string, SqliteCommand> _updates = [];
    private SqliteTransaction? _transaction;

    public SqliteBatchWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();
            using var pragma = _connection.CreateCommand();
            // synchronous is per connection and not part of the connection string. (temp_store =
            // MEMORY saved a temporary file per item, but kept a big statement's journal whole in
            // memory: 117 MB for a 100,000-row update. Issue 15 tried it and went back.)
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        // Inside the batch's BEGIN, RELEASE only drops the item's mark (the COMMIT writes);
        // ROLLBACK TO undoes the item but keeps its mark, so a RELEASE follows it.
        _savepoint = Prepare("SAVEPOINT item;");
        _release = Prepare("RELEASE item;");
        _rollback = Prepare("ROLLBACK TO item; RELEASE item;");
        _insert = Prepare(SqliteSchema.Accept, "@event_name", "@event_ts", "@meeting_uuid", "@request_id", "@tracking_id", "@body_hash", "@body", "@received_at", "@trace_parent", "@ordering_key", "@transport", "@dedup_key", "@request_key");
        _claim = Prepare(SqliteSchema.Claim, "@now", "@lease_until", "@lease_token", "@limit");
    }

    /// <summary>
    /// Runs every item and commits. An item that fails on its own is rolled back to its savepoint
    /// and handed to <paramref name="failed"/>, and the batch goes on; a failure of the store
    /// (busy, I/O, full disk: every item would meet it) or one SQLite answered by rolling back the
    /// whole transaction throws, and nothing of the batch is stored.
    /// </summary>
    /// <param name="batch">The items.</param>
    /// <param name="execute">Runs one item.</param>
    /// <param name="failed">Hears of an item's own failure.</param>
    /// <param name="oneStatement">True for an item of a single statement, which runs without a savepoint.</param>
    public void Run<T>(List<T> batch, Action<SqliteBatchWriter, T> execute, Action<T, Exception> failed, Func<T, bool> oneStatement)
    {
        using var transaction = _connection.BeginTransaction();
        _transaction = transaction;
        try
        {
            foreach (var item in batch)
            {
                var marked = !oneStatement(item);
                if (marked)
                {
                    Run(_savepoint);
                }

                try
                {
                    execute(this, item);
                }
                catch (Exception ex) when (IsItemsOwn(ex))
                {
                    // Throws (failing the batch) when the transaction is gone.
                    if (marked)
                    {
                        Run(_rollback);
                    }

                    failed(item, ex);
                    continue;
                }

                if (marked)
                {
                    Run(_release);
                }
            }

            transaction.Commit();
        }
        finally
        {
            _transaction = null;
        }
    }

    /// <summary>
    /// A failure of this statement and its values, which the next item would not meet. Anything
    /// else (SQLITE_BUSY, SQLITE_IOERR, SQLITE_FULL, ...) fails the batch, as a retry of each item
    /// would only wait out the busy timeout or fail the same way, once per item.
    /// https://www.sqlite.org/rescode.html
    /// </summary>
    private static bool IsItemsOwn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteError or SqliteTooBig or SqliteConstraint or SqliteMismatch or SqliteRange };

    /// <summary>A row already there (same request key or dedup key) makes a duplicate, not an error.</summary>
    public AcceptResult Insert(IncomingEvent incoming)
    {
        var p = _insert.Parameters;
        p[0].Value = incoming.EventName;
        p[1].Value = incoming.EventTs;
        p[2].Value = (object?)incoming.MeetingUuid ?? DBNull.Value;
        p[3].Value = (object?)incoming.RequestId ?? DBNull.Value;
        p[4].Value = (object?)incoming.TrackingId ?? DBNull.Value;
        p[5].Value = incoming.BodyHash;
        p[6].Value = incoming.Body;
        p[7].Value = incoming.ReceivedAt.ToUnixTimeMilliseconds();
        p[8].Value = (object?)incoming.TraceParent ?? DBNull.Value;
        p[9].Value = (object?)incoming.OrderingKey ?? DBNull.Value;
        p[10].Value = incoming.Transport;
        p[11].Value = incoming.DedupKey;
        p[12].Value = (object?)incoming.RequestKey ?? DBNull.Value;
        _insert.Transaction = _transaction;
        var id = _insert.ExecuteScalar();
        return id is null ? AcceptResult.Duplicate : new AcceptResult(true, Convert.ToInt64(id, null));
    }

    public List<ClaimedEvent> Claim(ClaimRequest request)
    {
        var p = _claim.Parameters;
        (p[0].Value, p[1].Value, p[2].Value, p[3].Value) = (request.NowMs, request.LeaseUntilMs, request.LeaseToken, request.Limit);
        _claim.Transaction = _transaction;
        var claimed = new List<ClaimedEvent>();
        using var reader = _claim.ExecuteReader();
        while (reader.Read())
        {
            claimed.Add(Db.Claimed(reader, request.LeaseToken));
        }

        return claimed;
    }

    public int Update(LeasedUpdate update)
    {
        if (!_updates.TryGetValue(update.Sql, out var command))
        {
            command = _updates[update.Sql] = Prepare(update.Sql, "@id", "@lease_token", "@at", "@error");
        }

        var p = command.Parameters;
        p[0].Value = update.Id;
        p[1].Value = update.LeaseToken;
        p[2].Value = update.AtMs;
        p[3].Value = (object?)update.Error ?? DBNull.Value;
        command.Transaction = _transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>Any other statement of this database (meeting facts), prepared once per SQL text.</summary>
    public int Execute(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        if (!_updates.TryGetValue(sql, out var command))
        {
            command = _updates[sql] = Prepare(sql, [.. parameters.Select(p => "@" + p.Key)]);
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        command.Transaction = _transaction;
        return command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _savepoint.Dispose();
        _release.Dispose();
        _rollback.Dispose();
        _insert.Dispose();
        _claim.Dispose();
        foreach (var command in _updates.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private void Run(SqliteCommand command)
    {
        command.Transaction = _transaction;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
