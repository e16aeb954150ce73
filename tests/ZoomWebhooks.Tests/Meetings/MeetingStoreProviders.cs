using Microsoft.Extensions.Logging.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>The meeting store suite on SQLite.</summary>
public sealed class SqliteMeetingStoreTests : MeetingStoreContractTests
{
    private readonly string _path = TempDatabase.NewPath();

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override IInbox OpenInbox() => new SqliteInbox($"Data Source={_path}");

    protected override MeetingStore OpenStore() => MeetingStore.ForSqlite($"Data Source={_path}");

    protected override Task DeleteDatabaseAsync()
    {
        TempDatabase.Delete(_path);
        return Task.CompletedTask;
    }
}

/// <summary>The meeting store suite on a real PostgreSQL, a database of its own per test.</summary>
public sealed class PostgresMeetingStoreTests : MeetingStoreContractTests
{
    private PostgresDatabase? _database;

    protected override async Task CreateDatabaseAsync() => _database = await PostgresDatabase.CreateAsync();

    protected override IInbox OpenInbox() =>
        new PostgresInbox(_database!.ConnectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);

    protected override MeetingStore OpenStore() => MeetingStore.ForPostgres(_database!.ConnectionString);

    protected override async Task DeleteDatabaseAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
