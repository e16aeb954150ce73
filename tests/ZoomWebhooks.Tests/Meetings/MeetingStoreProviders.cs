using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>The meeting store suite on SQLite.</summary>
public sealed class SqliteMeetingStoreTests : MeetingStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.SqliteAsync();
}

/// <summary>The meeting store suite on a real PostgreSQL, a database of its own per test.</summary>
public sealed class PostgresMeetingStoreTests : MeetingStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.PostgresAsync();
}
