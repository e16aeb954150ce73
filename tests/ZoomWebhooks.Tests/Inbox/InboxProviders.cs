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

    /// <summary>One process per file: what a starting one finds leased, a dead one left behind.</summary>
    [Fact]
    public async Task A_restart_takes_back_every_lease_the_previous_process_held_the_attempt_counted()
    {
        var inFlight = await AcceptAsync(Event(meeting: "m1", ts: 1));
        var next = await AcceptAsync(Event(meeting: "m1", ts: 2));
        var crashed = (await ClaimAsync(T0)).Single();

        var restarted = await OpenInitializedAsync();
        var recovered = await restarted.ClaimAsync(16, T0.AddSeconds(1), Lease, CancellationToken.None);

        recovered.Select(c => (c.Id, c.Attempt)).Should().Equal((inFlight, 2));
        (await restarted.CompleteAsync(crashed, T0.AddSeconds(1), CancellationToken.None)).Should().BeFalse("the dead process's lease is gone");
        await restarted.CompleteAsync(recovered[0], T0.AddSeconds(1), CancellationToken.None);
        (await restarted.ClaimAsync(16, T0.AddSeconds(1), Lease, CancellationToken.None)).Single().Id.Should().Be(next, "the meeting goes on in order");
    }
}

/// <summary>A file from before ordering keys: its waiting events keep their meeting's order after the upgrade.</summary>
public sealed class SqliteOrderingUpgradeTests
{
    [Fact]
    public async Task Events_stored_before_the_ordering_key_migration_keep_their_meeting_s_order()
    {
        var path = TempDatabase.NewPath();
        try
        {
            await using (var old = await TempDatabase.OpenBeforeAsync(path, m => m.Contains("ordering_head", StringComparison.Ordinal)))
            {
                foreach (var (meeting, ts) in new[] { ("m1", 2L), ("m1", 1L), ("m2", 3L) })
                {
                    await using var insert = new Microsoft.Data.Sqlite.SqliteCommand(
                        "INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, body_hash, body, received_at, status, attempts, next_attempt_at) " +
                        $"VALUES ('meeting.participant_joined', {ts}, '{meeting}', '{Guid.NewGuid():N}', x'00', 0, 'pending', 0, 0);", old);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            using var inbox = new SqliteInbox($"Data Source={path}");
            await inbox.InitializeAsync(CancellationToken.None);
            var now = DateTimeOffset.FromUnixTimeMilliseconds(1);
            var first = await inbox.ClaimAsync(16, now, TimeSpan.FromMinutes(1), CancellationToken.None);

            first.Select(c => (c.MeetingUuid, c.EventTs, c.OrderingKey)).Should().Equal(("m1", 1L, "m1"), ("m2", 3L, "m2"));
            await inbox.CompleteAsync(first[0], now, CancellationToken.None);
            (await inbox.ClaimAsync(16, now, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(c => c.EventTs).Should().Equal(2L);
        }
        finally
        {
            TempDatabase.Delete(path);
        }
    }
}

/// <summary>
/// A file from before the ordering indexes went by <c>completed_at</c>: its waiting events are still
/// claimed after the upgrade, in order, and its finished ones are not.
/// </summary>
public sealed class SqliteOrderingByCompletionUpgradeTests
{
    [Fact]
    public async Task Waiting_events_stored_before_the_upgrade_are_claimed_and_finished_ones_are_not()
    {
        var path = TempDatabase.NewPath();
        try
        {
            await using (var old = await TempDatabase.OpenBeforeAsync(path, m => ReferenceEquals(m, InboxSql.OrderingByCompletion)))
            {
                // A done event, two waiting ones of one key (the later one not yet its head), and a
                // waiting one of another key that a writer outside this code left with a completed_at.
                foreach (var (key, ts, status, head, completedAt) in new[]
                {
                    ("k1", 1L, "done", 1, "5"), ("k1", 2L, "pending", 1, "NULL"), ("k1", 3L, "pending", 0, "NULL"), ("k2", 4L, "pending", 1, "7"),
                })
                {
                    await using var insert = new Microsoft.Data.Sqlite.SqliteCommand(
                        "INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, body_hash, body, received_at, status, attempts, next_attempt_at, " +
                        "ordering_key, ordering_head, completed_at) " +
                        $"VALUES ('meeting.participant_joined', {ts}, 'm', '{Guid.NewGuid():N}', x'00', 0, '{status}', 0, 0, '{key}', {head}, {completedAt});", old);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            using var inbox = new SqliteInbox($"Data Source={path}");
            await inbox.InitializeAsync(CancellationToken.None);
            var now = DateTimeOffset.FromUnixTimeMilliseconds(10);
            var first = await inbox.ClaimAsync(16, now, TimeSpan.FromMinutes(1), CancellationToken.None);

            first.Select(c => (c.OrderingKey, c.EventTs)).Should().Equal(("k1", 2L), ("k2", 4L));
            await inbox.CompleteAsync(first[0], now, CancellationToken.None);
            (await inbox.ClaimAsync(16, now, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(c => c.EventTs).Should().Equal(3L);
        }
        finally
        {
            TempDatabase.Delete(path);
        }
    }
}

/// <summary>
/// A file from before the dedup key: events stored then are still recognised when Zoom sends them
/// again, with or without an <c>event_ts</c> in the body, and new bodies are still stored.
/// </summary>
public sealed class SqliteDedupKeyUpgradeTests
{
    [Fact]
    public async Task Repeats_of_events_stored_before_the_upgrade_are_duplicates()
    {
        var path = TempDatabase.NewPath();
        var withTs = System.Text.Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":1764580000123}""");
        var withoutTs = System.Text.Encoding.UTF8.GetBytes("""{"event":"meeting.started"}""");
        var atReceipt = System.Text.Encoding.UTF8.GetBytes("""{"event":"meeting.ended","event_ts":1764580000999}""");
        var notJson = "\u0001 not json"u8.ToArray();
        try
        {
            await using (var old = await TempDatabase.OpenBeforeAsync(path, m => ReferenceEquals(m, SqliteSchema.DedupKey)))
            {
                // As the receiver stored them: a body without event_ts took its receipt time, and
                // one body's own event_ts is its receipt's millisecond.
                foreach (var (body, ts, receivedAt) in new[]
                {
                    (withTs, 1764580000123L, 1764580000456L), (withoutTs, 1764580000789L, 1764580000789L),
                    (atReceipt, 1764580000999L, 1764580000999L), (notJson, 1764580001000L, 1764580001000L),
                })
                {
                    await using var insert = new Microsoft.Data.Sqlite.SqliteCommand(
                        "INSERT INTO inbox_events (event_name, event_ts, body_hash, body, received_at, status, attempts, next_attempt_at) " +
                        $"VALUES ('meeting.started', {ts}, '{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))}', @body, {receivedAt}, 'done', 1, 0);", old);
                    insert.Parameters.AddWithValue("@body", body);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            using var inbox = new SqliteInbox($"Data Source={path}");
            await inbox.InitializeAsync(CancellationToken.None);
            var later = DateTimeOffset.FromUnixTimeMilliseconds(1764590000000);

            (await inbox.AcceptAsync(IncomingEvent.Create(withTs, "meeting.started", 1764580000123, null, "retry-1", null, later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate);
            (await inbox.AcceptAsync(IncomingEvent.Create(withoutTs, "meeting.started", null, null, "retry-2", null, later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate);
            (await inbox.AcceptAsync(IncomingEvent.Create(atReceipt, "meeting.ended", 1764580000999, null, "retry-3", null, later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate);
            (await inbox.AcceptAsync(IncomingEvent.Create(notJson, "meeting.started", null, null, "retry-4", null, later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate);
            (await inbox.AcceptAsync(IncomingEvent.Create("{}"u8.ToArray(), "meeting.started", null, null, "new", null, later), CancellationToken.None))
                .IsNew.Should().BeTrue();
        }
        finally
        {
            TempDatabase.Delete(path);
        }
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

    /// <summary>Several receivers share the database: one starting must not take what the others are running.</summary>
    [Fact]
    public async Task A_starting_receiver_leaves_the_leases_of_running_ones_alone()
    {
        var id = await AcceptAsync(Event());
        var running = (await ClaimAsync(T0)).Single();

        var starting = await OpenInitializedAsync();

        (await starting.ClaimAsync(16, T0.AddSeconds(1), Lease, CancellationToken.None)).Should().BeEmpty();
        (await FindAsync(id)).Status.Should().Be(InboxStatus.Processing);
        (await Inbox.CompleteAsync(running, T0.AddSeconds(1), CancellationToken.None)).Should().BeTrue();
    }
}
