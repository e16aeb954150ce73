using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using ZoomWebhooks.Inbox.Sqlite;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// The inbox's database as another feature's store uses it (meeting facts, OAuth tokens): a
/// connection on either provider, and on SQLite the process's single writer, so such a store is
/// one class with shared statements instead of one per provider. One per process (registered by
/// <see cref="InboxSetup.AddInbox"/>), and on PostgreSQL on the process's one data source, the
/// inbox's own: a receiver holds at most <c>Maximum Pool Size</c> connections, whatever its features do.
/// </summary>
internal sealed class InboxDatabase
{
    private readonly NpgsqlDataSource? _dataSource;
    private readonly string? _sqlite;
    private readonly SqliteGroupCommit? _writes;

    /// <summary>On PostgreSQL: connections from the process's data source (its one pool), which the caller owns.</summary>
    public InboxDatabase(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>
    /// On SQLite. With the inbox's group-commit writer, writes share its commits: a second writer on
    /// the file would make both wait on SQLite's lock, and cost the accept path its latency (bench/run.sh).
    /// </summary>
    internal InboxDatabase(string connectionString, SqliteGroupCommit? writes = null)
    {
        _sqlite = SqliteInbox.PrepareConnectionString(connectionString);
        _writes = writes;
    }

    /// <summary>PostgreSQL may be shared by several receivers, so row locks matter there; SQLite is one process.</summary>
    public bool IsPostgres => _dataSource is not null;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is not null)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>One write statement: through the SQLite writer when there is one, else on a connection of its own.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        if (_writes is not null)
        {
            return await _writes.ExecuteAsync(sql, parameters, cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, sql, parameters, cancellationToken);
    }

    /// <summary>One statement on a connection the caller holds (inside its transaction).</summary>
    public static async Task<int> ExecuteAsync(
        DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A command with its named parameters; null values become DBNull.</summary>
    public static DbCommand Command(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        var command = Db.Command(connection, sql);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return command;
    }
}
