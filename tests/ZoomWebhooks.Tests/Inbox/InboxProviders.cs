using Microsoft.Extensions.Logging.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>The shared inbox suite, once on SQLite.</summary>
public sealed class SqliteInboxTests : InboxContractTests
{
    private readonly string _path = TempDatabase.NewPath();

    protected override IDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Inbox:Provider"] = "Sqlite",
        ["ConnectionStrings:Inbox"] = $"Data Source={_path}",
    };

    protected override Task CreateStoreAsync() => Task.CompletedTask;

    private protected override IInbox OpenInbox() => new SqliteInbox($"Data Source={_path}");

    protected override Task DeleteStoreAsync()
    {
        TempDatabase.Delete(_path);
        return Task.CompletedTask;
    }
}

/// <summary>The shared inbox suite, once on a real PostgreSQL (a database of its own per test).</summary>
public sealed class PostgresInboxTests : InboxContractTests
{
    private PostgresDatabase? _database;

    protected override IDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Inbox:Provider"] = "Postgres",
        ["ConnectionStrings:Inbox"] = _database!.ConnectionString,
    };

    protected override async Task CreateStoreAsync() => _database = await PostgresDatabase.CreateAsync();

    private protected override IInbox OpenInbox() =>
        new PostgresInbox(_database!.ConnectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);

    protected override async Task DeleteStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
