using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>The dashboard's reads and the failed-attempt history, on each provider.</summary>
public abstract class DashboardStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private MigratedDatabase? _database;
    private IInbox? _inbox;

    private MigratedDatabase Database => _database!;

    private IInbox Inbox => _inbox!;

    public async Task InitializeAsync()
    {
        _database = await CreateAsync();
        _inbox = OpenInbox(Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_inbox is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            (_inbox as IDisposable)?.Dispose();
        }

        await Database.DisposeAsync();
    }

    [Fact]
    public async Task Each_failed_attempt_is_recorded_with_its_error_and_a_success_writes_no_row()
    {
        var failing = await AcceptAsync("meeting.created");
        var fine = await AcceptAsync("meeting.created");
        var claimed = await Inbox.ClaimAsync(10, T0, Lease, CancellationToken.None);
        await Inbox.RescheduleAsync(claimed.Single(c => c.Id == failing), T0.AddSeconds(30), "TimeoutException: CRM slow", CancellationToken.None);
        await Inbox.CompleteAsync(claimed.Single(c => c.Id == fine), T0, CancellationToken.None);
        var again = (await Inbox.ClaimAsync(10, T0.AddSeconds(30), Lease, CancellationToken.None)).Single();
        await Inbox.MarkDeadAsync(again, T0.AddSeconds(31), "InvalidOperationException: CRM down", CancellationToken.None);

        var queries = new DashboardQueries(Database.Open());
        var attempts = await queries.AttemptsAsync(failing, CancellationToken.None);

        attempts.Should().Equal(
            new FailedAttempt(1, "retry", "TimeoutException: CRM slow", T0.AddSeconds(30)),
            new FailedAttempt(2, "dead", "InvalidOperationException: CRM down", T0.AddSeconds(31)));
        (await queries.AttemptsAsync(fine, CancellationToken.None)).Should().BeEmpty("a success is the event's completed_at");

        await Inbox.ReplayAsync(new InboxSelection(failing, null, null), T0.AddMinutes(1), CancellationToken.None);
        (await queries.AttemptsAsync(failing, CancellationToken.None)).Should().HaveCount(2, "a replay keeps the history");

        var finished = (await Inbox.ClaimAsync(10, T0.AddMinutes(1), Lease, CancellationToken.None)).Single();
        await Inbox.MarkDeadAsync(finished, T0.AddMinutes(1), "again", CancellationToken.None);
        await Inbox.DeleteAsync(InboxStatus.Dead, T0.AddHours(1), CancellationToken.None);
        Convert.ToInt64(await Database.ScalarAsync("SELECT count(*) FROM inbox_attempts"), CultureInfo.InvariantCulture)
            .Should().Be(0, "purging an event purges its history");
    }

    [Fact]
    public async Task The_event_list_pages_newest_first_through_every_match_and_filters_by_status_name_and_time()
    {
        var ids = new List<long>();
        for (var i = 0; i < 130; i++)
        {
            ids.Add(await AcceptAsync(i % 3 == 0 ? "meeting.started" : "meeting.ended", T0.AddMinutes(i)));
        }

        // Every fourth event dies, the rest are done.
        var claimed = await Inbox.ClaimAsync(200, T0.AddHours(3), Lease, CancellationToken.None);
        foreach (var c in claimed)
        {
            _ = ids.IndexOf(c.Id) % 4 == 0
                ? await Inbox.MarkDeadAsync(c, T0.AddHours(3), "boom", CancellationToken.None)
                : await Inbox.CompleteAsync(c, T0.AddHours(3), CancellationToken.None);
        }

        var queries = new DashboardQueries(Database.Open());

        (await AllPagesAsync(queries, new EventFilter(null, null, null, null, null))).Should().Equal(ids.AsEnumerable().Reverse());
        var dead = ids.Where((_, i) => i % 4 == 0).Reverse().ToList();
        (await AllPagesAsync(queries, new EventFilter(InboxStatus.Dead, null, null, null, null))).Should().Equal(dead);
        (await AllPagesAsync(queries, new EventFilter(null, "meeting.started", null, null, null)))
            .Should().Equal(ids.Where((_, i) => i % 3 == 0).Reverse());
        (await AllPagesAsync(queries, new EventFilter(InboxStatus.Done, "meeting.ended", T0.AddMinutes(10), T0.AddMinutes(20), null)))
            .Should().Equal(ids.Where((_, i) => i is >= 10 and < 20 && i % 3 != 0 && i % 4 != 0).Reverse());

        var counts = await queries.CountsAsync(CancellationToken.None);
        counts.Should().Contain(new StatusCount(InboxStatus.Dead, dead.Count, false)).And.Contain(new StatusCount(InboxStatus.Done, 130 - dead.Count, false))
            .And.Contain(new StatusCount(InboxStatus.Pending, 0, false));
    }

    [Fact]
    public async Task The_lag_is_the_wait_of_the_oldest_due_event()
    {
        var queries = new DashboardQueries(Database.Open());
        (await queries.OldestDueAsync(T0, CancellationToken.None)).Should().BeNull();

        await AcceptAsync("meeting.started", T0);
        await AcceptAsync("meeting.started", T0.AddSeconds(20));

        (await queries.OldestDueAsync(T0.AddSeconds(30), CancellationToken.None)).Should().Be(T0);
        (await queries.OldestDueAsync(T0.AddSeconds(-1), CancellationToken.None)).Should().BeNull("nothing is due yet");
    }

    private protected abstract Task<MigratedDatabase> CreateAsync();

    private protected abstract IInbox OpenInbox(string connectionString);

    private static async Task<List<long>> AllPagesAsync(DashboardQueries queries, EventFilter filter)
    {
        var seen = new List<long>();
        for (var page = await queries.ListAsync(filter, CancellationToken.None); ; page = await queries.ListAsync(filter with { Before = page.NextBefore }, CancellationToken.None))
        {
            seen.AddRange(page.Items.Select(e => e.Id));
            if (page.NextBefore is null)
            {
                return seen;
            }
        }
    }

    private async Task<long> AcceptAsync(string eventName, DateTimeOffset? receivedAt = null)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"{{{eventName}}}","event_ts":1,"payload":{"n":"{{{Guid.NewGuid():N}}}"}}""");
        var result = await Inbox.AcceptAsync(
            IncomingEvent.Create(body, eventName, 1, null, Guid.NewGuid().ToString(), null, receivedAt ?? T0), CancellationToken.None);
        return result.Id!.Value;
    }
}

public sealed class SqliteDashboardStoreTests : DashboardStoreTests
{
    private protected override Task<MigratedDatabase> CreateAsync() => MigratedDatabase.SqliteAsync();

    private protected override IInbox OpenInbox(string connectionString) => new SqliteInbox(connectionString);
}

public sealed class PostgresDashboardStoreTests : DashboardStoreTests
{
    private protected override Task<MigratedDatabase> CreateAsync() => MigratedDatabase.PostgresAsync();

    private protected override IInbox OpenInbox(string connectionString) =>
        new PostgresInbox(connectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);
}
