using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Inbox.Sqlite;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// A fresh database of one provider with the inbox's migrations applied, for the contract suites
/// of the stores that share it (meeting facts, tokens); removed afterwards.
/// </summary>
public abstract class MigratedDatabase : IAsyncDisposable
{
    public abstract string ConnectionString { get; }

    public static async Task<MigratedDatabase> SqliteAsync()
    {
        var database = new Sqlite(TempDatabase.NewPath());
        using var inbox = new SqliteInbox(database.ConnectionString);
        await inbox.InitializeAsync(CancellationToken.None);
        return database;
    }

    public static async Task<MigratedDatabase> PostgresAsync()
    {
        var database = new Postgres(await PostgresDatabase.CreateAsync());
        await using var inbox = new PostgresInbox(database.ConnectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);
        await inbox.InitializeAsync(CancellationToken.None);
        return database;
    }

    /// <summary>The database as one receiver has it (on PostgreSQL a pool of its own, closed with this).</summary>
    internal abstract InboxDatabase Open();

    /// <summary>One statement outside any store, for assertions.</summary>
    public abstract Task<object?> ScalarAsync(string sql);

    public abstract ValueTask DisposeAsync();

    private sealed class Sqlite(string path) : MigratedDatabase
    {
        public override string ConnectionString => $"Data Source={path}";

        internal override InboxDatabase Open() => new(ConnectionString);

        public override async Task<object?> ScalarAsync(string sql)
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new SqliteCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }

        public override ValueTask DisposeAsync()
        {
            TempDatabase.Delete(path);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Postgres(PostgresDatabase database) : MigratedDatabase
    {
        private readonly List<NpgsqlDataSource> _pools = [];

        public override string ConnectionString => database.ConnectionString;

        internal override InboxDatabase Open()
        {
            var pool = NpgsqlDataSource.Create(ConnectionString);
            _pools.Add(pool);
            return new InboxDatabase(pool);
        }

        public override Task<object?> ScalarAsync(string sql) => database.ScalarAsync(sql);

        public override async ValueTask DisposeAsync()
        {
            foreach (var pool in _pools)
            {
                await pool.DisposeAsync();
            }

            await database.DisposeAsync();
        }
    }
}
