using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dispatch;

/// <summary>Stored events reach handlers as typed notifications; failures retry, then die; shutdown releases.</summary>
public sealed class DispatcherTests
{
    [Fact]
    public async Task Meeting_events_reach_handlers_typed_and_every_event_generically()
    {
        var handler = new RecordingHandler();
        // Meeting: the one order the assertion below relies on (under Participant the join runs beside the meeting's own events).
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Ordering"] = "Meeting" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        var uuid = Payloads.NewUuid();

        await factory.PostSignedAsync(Payloads.MeetingStarted(uuid, eventTs: 1_000));
        await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 2_000));
        await factory.PostSignedAsync(Payloads.Custom("recording.completed", uuid, eventTs: 3_000));
        await handler.WaitForGenericAsync(3);

        var started = handler.Received.OfType<MeetingStarted>().Should().ContainSingle().Subject;
        started.Meeting.Should().Be(new MeetingRef(uuid, "81234567890", "Weekly sync", "host-1"));
        started.StartTime.Should().Be(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var joined = handler.Received.OfType<ParticipantJoined>().Should().ContainSingle().Subject;
        joined.Meeting.Id.Should().Be("81234567890", "a numeric meeting id is read as its digits");
        joined.Participant.UserId.Should().Be("16778240");
        joined.Participant.Id.Should().BeNull("an empty field is absent, not an error");
        handler.Generic.Select(g => g.EventName).Should().Equal("meeting.started", "meeting.participant_joined", "recording.completed");
        handler.Generic[2].AccountId.Should().Be("acct-1");
        var rows = await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), r => r.All(x => x.Status == InboxStatus.Done));
        rows.Should().OnlyContain(r => r.Attempts == 1);
    }

    [Fact]
    public async Task A_handler_that_keeps_failing_is_retried_then_the_event_is_dead_with_its_last_error()
    {
        var handler = new RecordingHandler();
        var calls = 0;
        handler.OnGeneric = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("downstream CRM is down");
        };
        using var factory = new ServiceFactory(
            new Dictionary<string, string?> { ["Inbox:MaxAttempts"] = "3", ["Inbox:Publish:Retries"] = "1" },
            TimeProvider.System).WithServices(s => RecordingHandler.AddTo(s, handler));

        (await factory.PostSignedAsync(Payloads.Custom("meeting.created"))).StatusCode.Should().Be(HttpStatusCode.OK);

        var row = (await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), r => r.Single().Status == InboxStatus.Dead)).Single();
        row.Attempts.Should().Be(3);
        row.LastError.Should().Be("InvalidOperationException: downstream CRM is down");
        calls.Should().Be(6, "three inbox attempts of one publish plus one quick Polly retry each");
        factory.Logs.WithProperty("InboxId", row.Id).Where(e => e.Properties.ContainsKey("Attempt"))
            .Select(e => LogCapture.Scalar(e, "Outcome")).Should().Equal("retry", "retry", "dead");
    }

    /// <summary>
    /// A signed event whose event_ts is no date: building its notification can never succeed, so
    /// retrying it (an hour of backoff) would only hold its meeting back. Either side of the range:
    /// the low one is its meeting's first event, the high one its last.
    /// </summary>
    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public async Task An_event_whose_event_ts_is_no_date_is_dead_at_its_first_attempt_and_its_meeting_goes_on(long eventTs)
    {
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(
            // A transient failure would wait an hour, and with it the meeting's next event.
            new Dictionary<string, string?> { ["Inbox:RetryDelay"] = "01:00:00", ["Inbox:MaxRetryDelay"] = "01:00:00" },
            TimeProvider.System).WithServices(s => RecordingHandler.AddTo(s, handler));
        var uuid = Payloads.NewUuid();

        (await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, 1_780_000_000_000, userId: "2"))).StatusCode.Should().Be(HttpStatusCode.OK);

        (await handler.WaitForGenericAsync(1)).Single().EventTs.Should().Be(1_780_000_000_000, "the meeting's other event goes on");
        var rows = await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), r => r.Any(x => x.Status == InboxStatus.Dead));
        var dead = rows.Single(r => r.Status == InboxStatus.Dead);
        dead.Attempts.Should().Be(1);
        dead.LastError.Should().StartWith("FormatException:").And.Contain("event_ts");
        handler.Generic.Should().ContainSingle("the broken event reached no handler");
        factory.Logs.WithProperty("InboxId", dead.Id).Where(e => e.Properties.ContainsKey("Attempt"))
            .Select(e => LogCapture.Scalar(e, "Outcome")).Should().Equal("dead");
    }

    [Fact]
    public async Task A_failure_that_clears_up_ends_done_on_a_later_attempt()
    {
        var handler = new RecordingHandler();
        var failuresLeft = 3;
        handler.OnGeneric = (_, _) => Interlocked.Decrement(ref failuresLeft) >= 0
            ? throw new TimeoutException("brief outage")
            : Task.CompletedTask;
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Publish:Retries"] = "2" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));

        await factory.PostSignedAsync(Payloads.Custom("meeting.updated"));

        var row = (await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), r => r.Single().Status == InboxStatus.Done)).Single();
        row.Attempts.Should().Be(2, "the first attempt used up its three tries, the second succeeded");
        handler.Generic.Should().ContainSingle();
    }

    [Fact]
    public async Task A_duplicate_delivery_is_not_dispatched_again()
    {
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(time: TimeProvider.System).WithServices(s => RecordingHandler.AddTo(s, handler));
        var body = Payloads.Custom("meeting.deleted");

        await factory.PostSignedAsync(body, requestId: "dup-1");
        await handler.WaitForGenericAsync(1);
        (await (await factory.PostSignedAsync(body, requestId: "dup-1")).Content.ReadAsStringAsync()).Should().Contain("duplicate");
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        await handler.WaitForGenericAsync(2);

        handler.Generic.Select(g => g.EventName).Should().Equal("meeting.deleted", "meeting.created");
    }

    [Fact]
    public async Task Events_of_one_meeting_are_dispatched_in_event_ts_order_one_at_a_time()
    {
        var database = TempDatabase.NewPath();
        var inbox = new SqliteInbox($"Data Source={database}");
        await inbox.InitializeAsync(default);
        var (first, second) = (Payloads.NewUuid(), Payloads.NewUuid());
        // Stored out of order, as Zoom may deliver them.
        foreach (var (uuid, ts) in new[] { (first, 3_000L), (second, 2_000L), (first, 1_000L), (first, 2_000L), (second, 1_000L) })
        {
            await inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.participant_left", uuid, ts), uuid, ts), default);
        }

        var inFlight = new Dictionary<string, int>();
        var overlaps = 0;
        var handler = new RecordingHandler();
        handler.OnGeneric = async (n, ct) =>
        {
            var uuid = n.RawJson.Contains(first, StringComparison.Ordinal) ? first : second;
            lock (inFlight)
            {
                inFlight[uuid] = inFlight.GetValueOrDefault(uuid) + 1;
                overlaps += inFlight[uuid] > 1 ? 1 : 0;
            }

            await Task.Yield();
            lock (inFlight)
            {
                inFlight[uuid]--;
            }
        };
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Concurrency"] = "4" }, TimeProvider.System, database)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        _ = factory.Server;

        var dispatched = await handler.WaitForGenericAsync(5);

        overlaps.Should().Be(0);
        dispatched.Where(g => g.RawJson.Contains(first, StringComparison.Ordinal)).Select(g => g.EventTs).Should().Equal(1_000, 2_000, 3_000);
        dispatched.Where(g => g.RawJson.Contains(second, StringComparison.Ordinal)).Select(g => g.EventTs).Should().Equal(1_000, 2_000);
    }

    [Fact]
    public async Task Events_stored_by_a_previous_process_are_dispatched_after_a_restart_even_mid_lease()
    {
        var database = TempDatabase.NewPath();
        var previous = new SqliteInbox($"Data Source={database}");
        await previous.InitializeAsync(default);
        var crashedAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        await previous.AcceptAsync(Incoming(Payloads.Custom("meeting.created"), null, 1), default);
        await previous.AcceptAsync(Incoming(Payloads.Custom("meeting.updated"), null, 2), default);
        // The previous process claimed the first one and died before finishing it.
        var inFlight = await previous.ClaimAsync(1, crashedAt, TimeSpan.FromMinutes(2), default);
        inFlight.Should().ContainSingle();

        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(time: TimeProvider.System, databasePath: database).WithServices(s => RecordingHandler.AddTo(s, handler));
        _ = factory.Server;

        var dispatched = await handler.WaitForGenericAsync(2);

        dispatched.Select(g => g.EventName).Should().BeEquivalentTo("meeting.created", "meeting.updated");
        var rows = await Eventually.Until(() => InboxRows.ReadAsync(database), r => r.All(x => x.Status == InboxStatus.Done));
        rows.Single(r => r.EventName == "meeting.created").Attempts.Should().Be(2, "the crashed attempt counts");
    }

    [Fact]
    public async Task Events_a_killed_process_held_under_a_live_lease_are_dispatched_at_once_after_a_restart()
    {
        var (database, previous) = await PreviousProcessAsync();
        // Claimed a moment ago under an hour's lease, and the process died: nothing else will settle it.
        (await previous.ClaimAsync(1, DateTimeOffset.UtcNow, TimeSpan.FromHours(1), default)).Should().ContainSingle();
        previous.Dispose();

        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(time: TimeProvider.System, databasePath: database).WithServices(s => RecordingHandler.AddTo(s, handler));
        _ = factory.Server;

        var dispatched = await handler.WaitForGenericAsync(2, TimeSpan.FromSeconds(15));

        dispatched.Select(g => g.EventName).Should().Equal("meeting.created", "meeting.updated");
        var rows = await Eventually.Until(() => InboxRows.ReadAsync(database), r => r.All(x => x.Status == InboxStatus.Done));
        rows.Select(r => r.Attempts).Should().Equal([2, 1], "the crashed attempt counts");
        TempDatabase.Delete(database);
    }

    [Fact]
    public async Task An_event_whose_attempts_all_ended_with_the_process_is_dead_instead_of_run_again()
    {
        var (database, previous) = await PreviousProcessAsync();
        // Three processes claimed it and died with it (MaxAttempts is 3 here): each claim counts an attempt.
        for (var crash = 0; crash < 3; crash++)
        {
            (await previous.ClaimAsync(1, DateTimeOffset.UtcNow.AddHours(crash), TimeSpan.FromMinutes(1), default)).Should().ContainSingle();
        }

        previous.Dispose();
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:MaxAttempts"] = "3" }, TimeProvider.System, database)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        _ = factory.Server;

        var dispatched = await handler.WaitForGenericAsync(1, TimeSpan.FromSeconds(15));

        dispatched.Select(g => g.EventName).Should().Equal("meeting.updated");
        var rows = await Eventually.Until(() => InboxRows.ReadAsync(database), r => r.All(x => x.Status is InboxStatus.Done or InboxStatus.Dead));
        var crashed = rows.Single(r => r.EventName == "meeting.created");
        crashed.Status.Should().Be(InboxStatus.Dead);
        crashed.LastError.Should().Contain("3 attempts never settled");
        TempDatabase.Delete(database);
    }

    /// <summary>
    /// The store takes no renewal (a partition, say) while the store still takes settles: before
    /// the lease can run out, the handler is cancelled and the event handed back, so no second
    /// dispatcher could ever run it alongside. Then it is dispatched again, once.
    /// </summary>
    [Fact]
    public async Task A_lease_that_cannot_be_renewed_stops_the_handler_and_hands_the_event_back_before_it_runs_out()
    {
        var (inbox, faults) = FaultyInbox.Wrap(new SqliteInbox($"Data Source={TempDatabase.NewPath()}"), nameof(IInbox.RenewAsync));
        var runs = new List<string>();
        var handler = new RecordingHandler();
        handler.OnGeneric = async (_, ct) =>
        {
            lock (runs)
            {
                runs.Add("start");
                if (runs.Count > 1)
                {
                    return;
                }
            }

            try
            {
                await new TaskCompletionSource().Task.WaitAsync(ct);
            }
            finally
            {
                lock (runs)
                {
                    runs.Add("stopped");
                }
            }
        };
        using var factory = new ServiceFactory(
            new Dictionary<string, string?> { ["Inbox:LeaseDuration"] = "00:00:02", ["Inbox:Publish:AttemptTimeout"] = "00:01:00" },
            TimeProvider.System).WithServices(s =>
            {
                s.AddSingleton(inbox);
                RecordingHandler.AddTo(s, handler);
            });

        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));

        await handler.WaitForGenericAsync(1, TimeSpan.FromSeconds(30));
        var row = await Eventually.Until(() => factory.Inbox.FindAsync(1, default), e => e!.Status == InboxStatus.Done);
        lock (runs)
        {
            runs.Should().Equal(["start", "stopped", "start"], "the first run ended before the second began");
        }

        row!.Attempts.Should().Be(1, "the attempt cut short by the lost lease is not counted");
        faults.FailedCalls.Should().BeGreaterThan(0);
        factory.Logs.AllText().Should().Contain("could not be renewed in time");
        factory.Logs.WithProperty("InboxId", row.Id).Where(e => e.Properties.ContainsKey("Attempt"))
            .Select(e => LogCapture.Scalar(e, "Outcome")).Should().Equal("released", "done");
    }

    [Fact]
    public async Task Shutdown_releases_an_event_whose_handler_is_still_running()
    {
        var (handler, entered) = RecordingHandler.Stuck();
        var database = TempDatabase.NewPath();
        var factory = new ServiceFactory(time: TimeProvider.System, databasePath: database).WithServices(s => RecordingHandler.AddTo(s, handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        await entered.WaitAsync(TimeSpan.FromSeconds(15));

        await factory.DisposeAsync();

        var row = (await InboxRows.ReadAsync(database)).Single();
        row.Status.Should().Be(InboxStatus.Pending);
        row.Attempts.Should().Be(0, "an attempt cut short by shutdown is not counted");
        TempDatabase.Delete(database);
    }

    /// <summary>
    /// Kestrel binds last, after the library's workers have started: a port in use refuses the
    /// start-up, and the host is disposed without being stopped. The stand-in for that failure waits
    /// (up to 2 s) for the stored events to be claimed before it refuses, so a dispatcher that did not
    /// wait for the host's start is caught at work.
    /// </summary>
    [Fact]
    public async Task A_host_whose_start_up_is_refused_dispatches_nothing_and_leaves_the_events_pending()
    {
        var (database, previous) = await PreviousProcessAsync();
        previous.Dispose();
        var handler = new RecordingHandler();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zoom:Environments:Development:SecretToken"] = "dispatcher-test-secret-token-0000",
            ["ConnectionStrings:Inbox"] = $"Data Source={database}",
        });
        builder.AddZoomWebhooks();
        RecordingHandler.AddTo(builder.Services, handler);
        var refusal = new RefusedStartUp(database);
        builder.Services.AddHostedService(_ => refusal);

        await using (var app = builder.Build())
        {
            var start = () => app.StartAsync();
            await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*address already in use*");
            refusal.SawAClaim.Should().BeFalse("nothing may be claimed before the host has started");
            handler.Received.Should().BeEmpty();
        }

        (await InboxRows.ReadAsync(database)).Should().AllSatisfy(row =>
        {
            row.Status.Should().Be(InboxStatus.Pending);
            row.Attempts.Should().Be(0);
        });
        TempDatabase.Delete(database);
    }

    /// <summary>A SQLite file a previous process left: one meeting's meeting.created, then meeting.updated.</summary>
    private static async Task<(string Database, SqliteInbox Previous)> PreviousProcessAsync()
    {
        var database = TempDatabase.NewPath();
        var previous = new SqliteInbox($"Data Source={database}");
        await previous.InitializeAsync(default);
        var uuid = Payloads.NewUuid();
        await previous.AcceptAsync(Incoming(Payloads.Custom("meeting.created", uuid, 1), uuid, 1), default);
        await previous.AcceptAsync(Incoming(Payloads.Custom("meeting.updated", uuid, 2), uuid, 2), default);
        return (database, previous);
    }

    private static IncomingEvent Incoming(string body, string? uuid, long ts) =>
        IncomingEvent.Create(
            System.Text.Encoding.UTF8.GetBytes(body),
            System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("event").GetString()!,
            ts, uuid, null, null, DateTimeOffset.UtcNow - TimeSpan.FromHours(1));

    /// <summary>Refuses the host's start as Kestrel does on a port in use, once the events are claimed or 2 s have passed.</summary>
    private sealed class RefusedStartUp(string database) : IHostedService
    {
        public bool SawAClaim { get; private set; }

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Eventually.Until(() => InboxRows.ReadAsync(database), rows => rows.Any(r => r.Attempts > 0), TimeSpan.FromSeconds(2));
                SawAClaim = true;
            }
            catch (TimeoutException)
            {
                // Nothing claimed: what a host that has not started should see.
            }

            throw new InvalidOperationException("Failed to bind to address http://127.0.0.1:5000: address already in use.");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
