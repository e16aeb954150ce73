using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.ScaleOut;

/// <summary>Moving a deployment from SQLite to PostgreSQL with Inbox:ImportFrom: nothing stored in the old file is lost or dispatched twice.</summary>
public sealed class SqliteImportTests : IAsyncLifetime
{
    private readonly string _sqlitePath = TempDatabase.NewPath();
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        TempDatabase.Delete(_sqlitePath);
    }

    [Fact]
    public async Task Events_left_in_the_SQLite_file_are_copied_in_at_start_and_dispatched_once()
    {
        var now = DateTimeOffset.UtcNow;
        var old = new SqliteInbox($"Data Source={_sqlitePath}");
        await old.InitializeAsync(CancellationToken.None);
        var done = await Store(old, "done", now);
        await Store(old, "dead", now);
        await Store(old, "leased", now);
        await Store(old, "pending", now);
        var claimed = await old.ClaimAsync(3, now, TimeSpan.FromMinutes(2), CancellationToken.None);
        await old.CompleteAsync(claimed.Single(c => c.MeetingUuid == "done"), now, CancellationToken.None);
        await old.MarkDeadAsync(claimed.Single(c => c.MeetingUuid == "dead"), now, "FormatException: broken", CancellationToken.None);

        var counter = new DispatchCounter();
        var settings = new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = _database.ConnectionString,
            ["Inbox:ImportFrom"] = $"Data Source={_sqlitePath}",
        };
        using (var first = new ServiceFactory(settings, time: TimeProvider.System).WithServices(s => DispatchCounter.Register(s, counter)))
        {
            _ = first.Server;
            await Eventually.Until(() => Task.FromResult(counter.Total), n => n >= 2, because: "the leased and the pending event are dispatched");

            var retry = await first.PostSignedAsync(System.Text.Encoding.UTF8.GetString(done.Body), requestId: done.RequestId);
            (await retry.Content.ReadAsStringAsync()).Should().Contain("duplicate", "the old receiver acknowledged it already");
            // Its request id with another body of the same event time: only the imported request key finds it.
            var changed = await first.PostSignedAsync("""{"event":"meeting.started","event_ts":1,"payload":{"object":{"uuid":"done","id":"2"} } }""", requestId: done.RequestId);
            (await changed.Content.ReadAsStringAsync()).Should().Contain("duplicate", "the imported row keeps its request key");
        }

        // Left set, the import runs again at the next start and copies nothing twice.
        using (var restarted = new ServiceFactory(settings, time: TimeProvider.System))
        {
            _ = restarted.Server;
            (await _database.ScalarAsync("SELECT count(*) FROM inbox_events")).Should().Be(4L);
        }

        (await _database.ScalarAsync("SELECT string_agg(status, ',' ORDER BY event_ts) FROM inbox_events")).Should().Be("done,dead,done,done");
        (await _database.ScalarAsync("SELECT last_error FROM inbox_events WHERE status = 'dead'")).Should().Be("FormatException: broken");
        counter.Total.Should().Be(2);
        // The old file is only read: its receiver may still be running, its leases are its own.
        (await InboxRows.ReadAsync(_sqlitePath)).Single(r => r.EventName == "meeting.started" && r.RequestId == "req-leased")
            .Status.Should().Be(InboxStatus.Processing);
    }

    [Fact]
    public async Task The_import_keeps_how_each_event_came()
    {
        var now = DateTimeOffset.UtcNow;
        var old = new SqliteInbox($"Data Source={_sqlitePath}");
        await old.InitializeAsync(CancellationToken.None);
        await Store(old, "posted", now);
        await Store(old, "socket", now, IncomingEvent.WebSocket);

        using (var service = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = _database.ConnectionString,
            ["Inbox:ImportFrom"] = $"Data Source={_sqlitePath}",
        }, time: TimeProvider.System))
        {
            _ = service.Server;
        }

        (await _database.ScalarAsync("SELECT string_agg(meeting_uuid || '=' || transport, ',' ORDER BY meeting_uuid) FROM inbox_events"))
            .Should().Be("posted=webhook,socket=websocket");
    }

    private static async Task<IncomingEvent> Store(SqliteInbox inbox, string name, DateTimeOffset now, string transport = IncomingEvent.Webhook)
    {
        var ts = name switch { "done" => 1, "dead" => 2, "leased" => 3, _ => 4 };
        var body = $$"""{"event":"meeting.started","event_ts":{{ts}},"payload":{"object":{"uuid":"{{name}}","id":"1"} } }""";
        var incoming = IncomingEvent.Create(System.Text.Encoding.UTF8.GetBytes(body), "meeting.started", ts, name, $"req-{name}", null, now, transport: transport);
        (await inbox.AcceptAsync(incoming, CancellationToken.None)).IsNew.Should().BeTrue();
        return incoming;
    }
}
