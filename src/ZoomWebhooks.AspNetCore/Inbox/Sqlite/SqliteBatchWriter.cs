using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>A claim of up to <paramref name="Limit"/> due events under a new lease.</summary>
internal readonly record struct ClaimRequest(long NowMs, long LeaseUntilMs, string LeaseToken, int Limit);

/// <summary>An UPDATE of one leased row: the statement and its values.</summary>
internal readonly record struct LeasedUpdate(string Sql, long Id, string LeaseToken, long AtMs, string? Error);

/// <summary>
/// The group-commit writer's own connection, kept across batches with its prepared statements.
/// One <see cref="Run{T}"/> is one transaction: all of it is on disk when it returns, or none.
/// </summary>
internal sealed class SqliteBatchWriter : IDisposable
{
    private readonly SqliteConnection _connection;
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
            // synchronous is per connection and not part of the connection string.
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _insert = Prepare(InboxSql.Accept, "@event_name", "@event_ts", "@meeting_uuid", "@request_id", "@tracking_id", "@body_hash", "@body", "@received_at");
        _claim = Prepare(SqliteSchema.Claim, "@now", "@lease_until", "@lease_token", "@limit");
    }

    public void Run<T>(List<T> batch, Action<SqliteBatchWriter, T> execute)
    {
        using var transaction = _connection.BeginTransaction();
        _transaction = transaction;
        try
        {
            foreach (var item in batch)
            {
                execute(this, item);
            }

            transaction.Commit();
        }
        finally
        {
            _transaction = null;
        }
    }

    /// <summary>A row already there (same request id or body hash) makes a duplicate, not an error.</summary>
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
        _insert.Dispose();
        _claim.Dispose();
        foreach (var command in _updates.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
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
