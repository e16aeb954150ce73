using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using ZoomWebhooks.Inbox.Sqlite;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// The inbox's database as another feature's store uses it (meeting facts, OAuth tokens): a
/// connection on either provider, and on SQLite the process's single writer, so such a store is
/// one class with shared statements instead of one per provider.
/// </summary>
internal sealed class InboxDatabase : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly IAsyncDisposable? _owned;
    private readonly SqliteGroupCommit? _writes;

    private InboxDatabase(Func<CancellationToken, Task<DbConnection>> open, IAsyncDisposable? owned, SqliteGroupCommit? writes, bool isPostgres)
    {
        _open = open;
        _owned = owned;
        _writes = writes;
        IsPostgres = isPostgres;
    }

    /// <summary>PostgreSQL may be shared by several receivers, so row locks matter there; SQLite is one process.</summary>
    public bool IsPostgres { get; }

    /// <summary>
    /// With the inbox's group-commit writer, writes share its commits: a second writer on the file
    /// would make both wait on SQLite's lock, and cost the accept path its latency (bench/run.sh).
    /// </summary>
    internal static InboxDatabase ForSqlite(string connectionString, SqliteGroupCommit? writes = null)
    {
        var prepared = SqliteInbox.PrepareConnectionString(connectionString);
        return new InboxDatabase(async token =>
        {
            var connection = new SqliteConnection(prepared);
            await connection.OpenAsync(token);
            return connection;
        }, owned: null, writes, isPostgres: false);
    }

    public static InboxDatabase ForPostgres(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new InboxDatabase(async token => await dataSource.OpenConnectionAsync(token), dataSource, writes: null, isPostgres: true);
    }

    /// <summary>The database the service is configured with (<c>Inbox:Provider</c>, <c>ConnectionStrings:Inbox</c>).</summary>
    internal static InboxDatabase From(IServiceProvider services)
    {
        var provider = services.GetRequiredService<IOptions<InboxOptions>>().Value.Provider;
        var connectionString = InboxSetup.ConnectionString(services.GetRequiredService<IConfiguration>());
        return provider switch
        {
            InboxProvider.Sqlite => ForSqlite(connectionString, services.GetRequiredService<SqliteGroupCommit>()),
            InboxProvider.Postgres => ForPostgres(connectionString),
            _ => throw new InvalidOperationException($"Inbox:Provider '{provider}' is not available in this build."),
        };
    }

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);

    /// <summary>One write statement: through the SQLite writer when there is one, else on a connection of its own.</summary>
    public async Task<int> ExecuteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        if (_writes is not null)
        {
            return await _writes.ExecuteAsync(sql, parameters, cancellationToken);
        }

        await using var connection = await _open(cancellationToken);
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

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
