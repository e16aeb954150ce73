using System.Net;
using Npgsql;
using Xunit.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>
/// PostgreSQL goes away mid-load and comes back: the webhook answers 503 (never 200, never a
/// hang), readiness says unready, and the service recovers by itself. The outage is this test's
/// database refusing connections, so other tests on the shared server are not disturbed.
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await SetOutageAsync(false);
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_postgres_outage_gives_503_and_unready_then_the_service_recovers_without_a_restart()
    {
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(
            new Dictionary<string, string?>
            {
                ["Inbox:Provider"] = "Postgres",
                ["ConnectionStrings:Inbox"] = _database.ConnectionString,
                // An event whose outcome could not be recorded during the outage comes back after its lease.
                ["Inbox:LeaseDuration"] = "00:00:05",
                ["Inbox:Publish:AttemptTimeout"] = "00:00:01",
                ["Inbox:Publish:Retries"] = "1",
            },
            TimeProvider.System).WithServices(s => RecordingHandler.AddTo(s, handler));
        var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var acknowledged = new List<string>();
        var refused = new List<string>();

        async Task PostAsync(int n, string phase)
        {
            var id = $"{phase}-{n}";
            var status = (await factory.PostSignedAsync(Payloads.Custom("meeting.created", eventTs: n), requestId: id)).StatusCode;
            status.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
            (status == HttpStatusCode.OK ? acknowledged : refused).Add(id);
        }

        for (var n = 0; n < 20; n++)
        {
            await PostAsync(n, "before");
        }

        await SetOutageAsync(true);
        for (var n = 0; n < 4; n++)
        {
            await PostAsync(n, "during");
        }

        var readyDuringOutage = (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode;
        await SetOutageAsync(false);
        await Eventually.Until(async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode, s => s == HttpStatusCode.OK);
        for (var n = 0; n < 20; n++)
        {
            await PostAsync(n, "after");
        }

        output.WriteLine($"{acknowledged.Count} acknowledged, {refused.Count} refused with 503");
        readyDuringOutage.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Should().Contain(id => id.StartsWith("during-", StringComparison.Ordinal)).And.OnlyContain(id => id.StartsWith("during-", StringComparison.Ordinal));
        acknowledged.Where(id => id.StartsWith("after-", StringComparison.Ordinal)).Should().HaveCount(20, "the service recovered by itself");
        await handler.WaitForGenericAsync(acknowledged.Count, TimeSpan.FromSeconds(60));
        var stored = await factory.Inbox.ListAsync(new InboxQuery(null, null, null, null, 500), default);
        stored.Select(r => r.RequestId).Should().Contain(acknowledged, "no request got 200 without being stored");
        await Eventually.Until(
            () => factory.Inbox.ListAsync(new InboxQuery(InboxStatus.Done, null, null, null, 500), default),
            rows => acknowledged.All(id => rows.Any(r => r.RequestId == id)),
            TimeSpan.FromSeconds(60),
            "every acknowledged event dispatched, those caught by the outage after their lease");
    }

    [Fact]
    public async Task A_read_only_sqlite_store_gives_503_not_200_and_the_service_stays_up()
    {
        var database = TempDatabase.NewPath();
        using (var writable = new SqliteInbox($"Data Source={database}"))
        {
            await writable.InitializeAsync(default);
        }

        using var factory = new ServiceFactory(
            new Dictionary<string, string?> { ["ConnectionStrings:Inbox"] = $"Data Source={database};Mode=ReadOnly" }, databasePath: database);

        var first = await factory.PostSignedAsync(Payloads.MeetingStarted());
        var second = await factory.PostSignedAsync(Payloads.MeetingStarted());

        first.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await InboxRows.ReadAsync(database)).Should().BeEmpty();
        factory.Logs.AllText().Should().Contain("readonly");
        TempDatabase.Delete(database);
    }

    [Fact]
    public async Task A_sqlite_file_locked_by_another_writer_gives_503_at_the_accept_deadline_not_after_the_busy_timeout()
    {
        var database = TempDatabase.NewPath();
        using var factory = WithShortAcceptDeadline(database);
        _ = factory.Server;
        var other = await SqliteWriteLock.TakeAsync(database);

        var answer = await factory.PostSignedAsync(Payloads.MeetingStarted()).WaitAsync(TimeSpan.FromSeconds(20));

        answer.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        await other.DisposeAsync();
        (await factory.PostSignedAsync(Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK, "the store is back");
        TempDatabase.Delete(database);
    }

    [Fact]
    public async Task Zoom_retries_of_stored_events_are_answered_while_another_writer_holds_the_sqlite_lock()
    {
        var database = TempDatabase.NewPath();
        using var factory = WithShortAcceptDeadline(database);
        var stored = Payloads.MeetingStarted();
        (await factory.PostSignedAsync(stored, requestId: "stored-before-the-lock")).StatusCode.Should().Be(HttpStatusCode.OK);
        await using var other = await SqliteWriteLock.TakeAsync(database);

        // A retry is known from the committed row alone: it never waits for the writer.
        var retry = await factory.PostSignedAsync(stored, requestId: "stored-before-the-lock").WaitAsync(TimeSpan.FromSeconds(20));
        var sameBody = await factory.PostSignedAsync(stored, requestId: "another-subscription").WaitAsync(TimeSpan.FromSeconds(20));
        var fresh = await factory.PostSignedAsync(Payloads.MeetingStarted()).WaitAsync(TimeSpan.FromSeconds(20));

        (await retry.Content.ReadAsStringAsync()).Should().Be("""{"status":"duplicate"}""");
        (await sameBody.Content.ReadAsStringAsync()).Should().Be("""{"status":"duplicate"}""");
        fresh.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a new event still needs the write lock");
        TempDatabase.Delete(database);
    }

    // Without the deadline, the inbox would wait out the busy timeout, far past Zoom's 3 s.
    private static ServiceFactory WithShortAcceptDeadline(string database) => new(
        new Dictionary<string, string?>
        {
            ["ConnectionStrings:Inbox"] = $"Data Source={database};Default Timeout=60",
            ["Zoom:Webhooks:AcceptTimeout"] = "00:00:00.500",
        },
        TimeProvider.System,
        database);

    /// <summary>The database refuses new connections and drops the open ones, as a stopped server would.</summary>
    private async Task SetOutageAsync(bool down)
    {
        var server = await PostgresServer.InstanceAsync();
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        await using var allow = new NpgsqlCommand($"ALTER DATABASE {_database.Name} WITH ALLOW_CONNECTIONS {(down ? "false" : "true")};", admin);
        await allow.ExecuteNonQueryAsync();
        if (down)
        {
            await using var terminate = new NpgsqlCommand(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{_database.Name}';", admin);
            await terminate.ExecuteScalarAsync();
        }
    }
}
