using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.ScaleOut;

/// <summary>
/// Two receivers on one PostgreSQL database, as behind a load balancer: real time, real server,
/// Zoom-signed requests. The README quotes the timings these tests print.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("Meeting")]
    [InlineData("Participant")]
    public async Task Two_receivers_store_and_dispatch_every_event_exactly_once_whichever_receives_it(string ordering)
    {
        const int events = 2000;
        var byParticipant = ordering == "Participant";
        var counter = new DispatchCounter { ByParticipant = byParticipant };
        var settings = new Dictionary<string, string?> { ["Inbox:Ordering"] = ordering };
        using var a = Receiver("a", counter, settings);
        using var b = Receiver("b", counter, settings);
        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
        var outcomes = new ConcurrentQueue<string>();

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
            // By participant: 400 people in 40 meetings, five events each, so that keys repeat.
            var body = byParticipant ? Body(i, participant: i % 400) : Body(i);
            var posts = (i % 10) switch
            {
                // Zoom's retry (same request id, same bytes) reaching the other receiver at the same moment.
                0 => [first.PostSignedAsync(body, requestId: $"req-{i}"), second.PostSignedAsync(body, requestId: $"req-{i}")],
                // A second subscription to the same event: same bytes, another request id.
                5 => [first.PostSignedAsync(body, requestId: $"req-{i}"), second.PostSignedAsync(body, requestId: $"req-{i}-bis")],
                _ => new[] { first.PostSignedAsync(body, requestId: $"req-{i}") },
            };
            foreach (var response in await Task.WhenAll(posts))
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                outcomes.Enqueue(await response.Content.ReadAsStringAsync());
            }
        });
        var accepted = watch.Elapsed;
        await Eventually.Until(() => _database.ScalarAsync("SELECT count(*) FROM inbox_events WHERE status <> 'done'"),
            left => (long)left! == 0, TimeSpan.FromMinutes(2), "every stored event is dispatched");
        var dispatched = watch.Elapsed;

        outcomes.Count(o => o.Contains("accepted", StringComparison.Ordinal)).Should().Be(events);
        outcomes.Count(o => o.Contains("duplicate", StringComparison.Ordinal)).Should().Be(events / 5);
        (await _database.ScalarAsync("SELECT count(*) FROM inbox_events")).Should().Be((long)events);
        counter.Counts.Should().HaveCount(events).And.OnlyContain(c => c.Value == 1, "each event is dispatched once in total");
        counter.Overlaps.Should().Be(0, $"two events of one {(byParticipant ? "participant" : "meeting")} are never handled at once");
        counter.Handled.Select(h => h.Host).Distinct().Should().BeEquivalentTo(["a", "b"], "both receivers dispatch");
        output.WriteLine($"{ordering}: {events} events (+{events / 5} duplicates) posted alternately to 2 receivers: all stored in {accepted.TotalSeconds:0.0} s, all dispatched after {dispatched.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task When_a_receiver_dies_mid_dispatch_the_other_takes_its_events_over_after_the_lease()
    {
        const int events = 300;
        var lease = new Dictionary<string, string?>
        {
            ["Inbox:LeaseDuration"] = "00:00:03",
            ["Inbox:Publish:AttemptTimeout"] = "00:00:00.500",
        };
        var counter = new DispatchCounter();
        CrashableInbox crashable = null!;
        var a = Receiver("a", counter, lease, s => CrashableInbox.Install(s, created => crashable = created));
        using var b = Receiver("b", counter, lease);
        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
        var handledByA = 0;
        counter.OnEvent = (host, _, _) =>
        {
            // A dies while it holds a batch: this event and the rest of its claim are in flight.
            if (host == "a" && Interlocked.Increment(ref handledByA) == 20)
            {
                crashable.Crash();
            }

            return Task.CompletedTask;
        };

        var watch = Stopwatch.StartNew();
        var accepted = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, events), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            // A load balancer sends to A until it fails, then to B, as Zoom's retry after a 503 would.
            if (i % 2 == 0 && !crashable.Crashed.IsCompleted && await TryPostAsync(a, i))
            {
                accepted.Add(i);
                return;
            }

            (await TryPostAsync(b, i)).Should().BeTrue();
            accepted.Add(i);
        });
        await crashable.Crashed.WaitAsync(TimeSpan.FromSeconds(30));
        a.Dispose();
        var crashedAt = watch.Elapsed;

        await Eventually.Until(() => _database.ScalarAsync("SELECT count(*) FROM inbox_events WHERE status <> 'done'"),
            left => (long)left! == 0, TimeSpan.FromMinutes(1), "B dispatches what A held once A's leases expire");
        var recovered = watch.Elapsed;

        accepted.Should().HaveCount(events);
        (await _database.ScalarAsync("SELECT count(*) FROM inbox_events")).Should().Be((long)events, "nothing is lost");
        counter.Counts.Should().HaveCount(events, "every stored event reaches a handler");
        var held = crashable.Held;
        held.Should().NotBeEmpty("A died holding leased events");
        counter.Handled.Where(h => h.Host == "b").Select(h => h.InboxId).Should().Contain(held, "B takes over what A held");
        counter.Counts.Where(c => c.Value > 1).Select(c => c.Key).Should().BeSubsetOf(held,
            "only events A handled but could not mark done are handled again (at least once)");
        output.WriteLine($"{events} events, receiver A died holding {held.Count} leased events after {crashedAt.TotalSeconds:0.0} s; " +
                         $"B had dispatched all of them {(recovered - crashedAt).TotalSeconds:0.0} s later (lease 3 s)");
    }

    /// <summary>
    /// A lease of 2 s and a handler that takes three of them: its receiver renews the lease, so the
    /// other one, polling the same database every 50 ms all along, never claims the event.
    /// </summary>
    [Fact]
    public async Task A_handler_that_outlasts_the_lease_keeps_its_event_and_the_other_receiver_never_runs_it()
    {
        var lease = TimeSpan.FromSeconds(2);
        var settings = new Dictionary<string, string?>
        {
            ["Inbox:LeaseDuration"] = "00:00:02",
            // The handler's own deadline is not what ends it here.
            ["Inbox:Publish:AttemptTimeout"] = "00:01:00",
        };
        var counter = new DispatchCounter();
        var entered = new ConcurrentQueue<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        counter.OnEvent = async (host, _, _) =>
        {
            entered.Enqueue(host);
            // Deaf to cancellation on purpose: were the lease lost, a second run would overlap this one.
            await release.Task;
        };
        using var a = Receiver("a", counter, settings);
        using var b = Receiver("b", counter, settings);
        await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));

        (await a.PostSignedAsync(Body(0), requestId: "req-slow")).StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.Until(() => Task.FromResult(entered.Count), n => n >= 1, because: "a handler has started");
        var firstLeaseEnd = (long)(await _database.ScalarAsync("SELECT lease_until FROM inbox_events"))!;
        // Renewals reckon from the current time: a lease ending three leases after the first one's
        // end was written more than three leases after the claim, with the handler still running.
        await Eventually.Until(() => _database.ScalarAsync("SELECT lease_until FROM inbox_events"),
            until => (long)until! >= firstLeaseEnd + (long)(lease * 3).TotalMilliseconds, TimeSpan.FromSeconds(30), "the lease renewed past three leases");
        var startsWhileHeld = entered.Count;
        release.SetResult();

        await Eventually.Until(() => _database.ScalarAsync("SELECT status FROM inbox_events"), s => (string)s! == "done", because: "the event is done");
        startsWhileHeld.Should().Be(1, "no other dispatcher started the event while its handler ran");
        counter.Total.Should().Be(1);
        counter.Overlaps.Should().Be(0);
        (await _database.ScalarAsync("SELECT attempts FROM inbox_events")).Should().Be(1, "one attempt, never taken over");
        output.WriteLine($"handled by {entered.Single()}; the other receiver polled the same database meanwhile");
    }

    private ServiceFactory Receiver(string name, DispatchCounter counter, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = _database.ConnectionString,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceFactory(settings, time: TimeProvider.System).WithServices(services =>
        {
            DispatchCounter.Register(services, counter, name);
            configure?.Invoke(services);
        });
    }

    private static async Task<bool> TryPostAsync(ServiceFactory receiver, int i)
    {
        try
        {
            var response = await receiver.PostSignedAsync(Body(i), requestId: $"req-{i}");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Event <paramref name="i"/> of one of 40 meetings, its event_ts following i.</summary>
    private static string Body(int i, int? participant = null) =>
        $$"""{"event":"meeting.participant_joined","event_ts":{{1_772_441_000_000 + i}},"payload":{"account_id":"acc","object":{"uuid":"meeting-{{i % 40}}==","id":"{{i % 40}}","participant":{"user_name":"P {{participant ?? i}}","join_time":"2026-03-02T09:00:00Z"} } } }""";
}
