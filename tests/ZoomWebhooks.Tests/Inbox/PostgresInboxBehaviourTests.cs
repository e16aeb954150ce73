using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>What only the shared PostgreSQL inbox has to get right: concurrent starts, concurrent claimers, transient failures.</summary>
public sealed class PostgresInboxBehaviourTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Receivers_starting_together_create_the_schema_once()
    {
        var inboxes = Enumerable.Range(0, 6).Select(_ => Open()).ToList();

        await Task.WhenAll(inboxes.Select(i => Task.Run(() => i.InitializeAsync(CancellationToken.None))));

        (await _database.ScalarAsync("SELECT count(*) FROM inbox_schema_version")).Should().Be((long)PostgresSchema.Migrations.Count);
        (await _database.ScalarAsync("SELECT max(version) FROM inbox_schema_version")).Should().Be(PostgresSchema.Migrations.Count);
        inboxes.ForEach(i => i.Dispose());
    }

    [Fact]
    public async Task Concurrent_claimers_never_hold_two_events_of_one_meeting_and_keep_event_ts_order()
    {
        using var setup = Open();
        await setup.InitializeAsync(CancellationToken.None);
        var random = new Random(7);
        var events = Enumerable.Range(0, 240).Select(i => (Meeting: $"m{i % 12}", Ts: (long)random.Next(1, 1_000_000))).ToList();
        foreach (var (meeting, ts) in events)
        {
            await setup.AcceptAsync(IncomingEvent.Create(Guid.NewGuid().ToByteArray(), "meeting.participant_joined", ts, meeting, null, null, DateTimeOffset.UnixEpoch), CancellationToken.None);
        }

        var inFlight = new ConcurrentDictionary<string, int>();
        var handled = new ConcurrentQueue<(string Meeting, long Ts)>();
        var overlaps = 0;
        var claimers = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        await Task.WhenAll(claimers.Select(inbox => Task.Run(async () =>
        {
            var idle = 0;
            while (idle < 3)
            {
                var batch = await inbox.ClaimAsync(5, DateTimeOffset.UnixEpoch.AddMinutes(1), TimeSpan.FromHours(1), CancellationToken.None);
                idle = batch.Count == 0 ? idle + 1 : 0;
                foreach (var claimed in batch)
                {
                    if (inFlight.AddOrUpdate(claimed.MeetingUuid!, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    await Task.Yield();
                    handled.Enqueue((claimed.MeetingUuid!, claimed.EventTs));
                    inFlight.AddOrUpdate(claimed.MeetingUuid!, 0, (_, n) => n - 1);
                    (await inbox.CompleteAsync(claimed, DateTimeOffset.UnixEpoch, CancellationToken.None)).Should().BeTrue();
                }
            }
        })));

        overlaps.Should().Be(0);
        handled.Should().HaveCount(events.Count);
        foreach (var meeting in handled.GroupBy(h => h.Meeting))
        {
            meeting.Select(h => h.Ts).Should().BeInAscendingOrder($"events of {meeting.Key} go in event_ts order");
        }

        claimers.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_transient_failure_on_accept_is_retried_and_the_event_stored()
    {
        var retries = new RetryLog();
        using var inbox = Open($"{_database.ConnectionString};Options=-c lock_timeout=100", retries);
        await inbox.InitializeAsync(CancellationToken.None);
        await using var blocker = await HoldTableLockAsync();

        // Each try waits 100 ms for the lock, then fails with lock_not_available (55P03).
        var accept = inbox.AcceptAsync(IncomingEvent.Create([1, 2, 3], "meeting.started", 1, null, "req-1", null, DateTimeOffset.UnixEpoch), CancellationToken.None);
        await retries.FirstRetry.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await blocker.RollbackAsync();

        (await accept).IsNew.Should().BeTrue();
        retries.Errors.Should().AllSatisfy(e => e.Should().BeOfType<PostgresException>().Which.SqlState.Should().Be(PostgresErrorCodes.LockNotAvailable));
    }

    [Fact]
    public async Task A_store_that_stays_unavailable_answers_503_within_Zoom_s_three_seconds()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = $"{_database.ConnectionString};Options=-c lock_timeout=100",
        };
        using var factory = new ServiceFactory(settings, time: TimeProvider.System);
        _ = factory.Server;
        await using var blocker = await HoldTableLockAsync();

        var watch = Stopwatch.StartNew();
        var response = await factory.PostSignedAsync("""{"event":"meeting.started","event_ts":1,"payload":{"object":{"uuid":"u"}}}""");
        watch.Stop();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        factory.Logs.AllText().Should().Contain("transient error");
    }

    private PostgresInbox Open(string? connectionString = null, ILogger<PostgresInbox>? logger = null) =>
        new(connectionString ?? _database.ConnectionString, TimeProvider.System, logger ?? NullLogger<PostgresInbox>.Instance);

    /// <summary>Another session holding the table in EXCLUSIVE mode: inserts wait, reads go on.</summary>
    private async Task<NpgsqlTransaction> HoldTableLockAsync()
    {
        var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE inbox_events IN EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return transaction;
    }

    private sealed class RetryLog : ILogger<PostgresInbox>
    {
        public TaskCompletionSource FirstRetry { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
            {
                Errors.Enqueue(exception);
                FirstRetry.TrySetResult();
            }
        }
    }
}
