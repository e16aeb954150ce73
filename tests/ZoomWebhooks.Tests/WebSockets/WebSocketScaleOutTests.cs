using System.Diagnostics;
using Xunit.Abstractions;
using ZoomWebhooks.Tests.Support;
using ZoomWebhooks.WebSockets;

namespace ZoomWebhooks.Tests.WebSockets;

/// <summary>
/// Two receivers on one PostgreSQL database, as real processes: one connection per subscription,
/// and after <c>kill -9</c> of its holder the other one connects. The README quotes the takeover time.
/// </summary>
public sealed class WebSocketScaleOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task With_two_postgres_receivers_exactly_one_is_connected_and_killing_it_moves_the_connection_to_the_other()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var settings = Settings(peer, database);
        await using var first = ServiceProcess.Start(settings);
        await peer.WaitConnectedAsync(because: "the first receiver connects");
        await using var second = ServiceProcess.Start(settings);
        await second.WaitForOutputAsync("standing by");

        peer.Socket.OpenSessions.Should().Be(1, second.Output);
        await first.WaitForOutputAsync("connected after");
        second.Output.Should().NotContain("connected after");
        await peer.Socket.PushAsync(Payloads.MeetingStarted());
        await Eventually.Until(() => database.ScalarAsync("SELECT count(*) FROM inbox_events WHERE status = 'done' AND transport = 'websocket'"),
            n => (long)n! == 1, TimeSpan.FromSeconds(30), "the event stored and dispatched");

        var watch = Stopwatch.StartNew();
        await first.KillAsync();
        await peer.WaitConnectedAsync(sessions: 2, "the standby takes the subscription over within seconds");
        var takeover = watch.Elapsed;

        await second.WaitForOutputAsync("connected after");
        second.Output.Should().Contain("connected after", "the standby is the one connected now");
        await peer.Socket.PushAsync(Payloads.MeetingStarted());
        await Eventually.Until(() => database.ScalarAsync("SELECT count(*) FROM inbox_events WHERE status = 'done' AND transport = 'websocket'"),
            n => (long)n! == 2, TimeSpan.FromSeconds(30), "events flow through the other receiver");
        peer.Socket.MaxOpenSessions.Should().Be(1, "never two connections to the subscription at once");
        output.WriteLine($"kill -9 of the connected receiver -> the standby connected {takeover.TotalSeconds:0.0} s later (default LeaseInterval, 2 s)");
    }

    [Fact]
    public async Task When_the_lease_connection_breaks_the_socket_is_closed_and_reopened_only_under_the_lease_again()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var settings = peer.Settings();
        settings["Inbox:Provider"] = "Postgres";
        settings["ConnectionStrings:Inbox"] = database.ConnectionString;
        settings["Zoom:WebSocket:LeaseInterval"] = "00:00:00.200";
        using var service = new ServiceFactory(settings, time: TimeProvider.System);
        _ = service.Services;
        await peer.WaitConnectedAsync();

        // As a failover of the database or a network cut would: the session, and its lock, are gone.
        // objsubid 2 is the two-key form (the inbox's own bigint locks show objsubid 1).
        var holder = await database.ScalarAsync($"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = {SubscriptionLease.LockClass} AND objsubid = 2 AND granted");
        holder.Should().NotBeNull("the receiver holds the subscription's advisory lock while connected");
        await database.ScalarAsync($"SELECT pg_terminate_backend({holder})");

        await peer.WaitConnectedAsync(sessions: 2, "connected again, under a new lease");
        service.Logs.Events.Should().Contain(e => e.MessageTemplate.Text.Contains("lease connection failed", StringComparison.Ordinal));
        (await database.ScalarAsync($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {SubscriptionLease.LockClass} AND objsubid = 2 AND granted"))
            .Should().Be(1L, "the lock is held again, once");
        peer.Socket.MaxOpenSessions.Should().Be(1);
    }

    private static Dictionary<string, string> Settings(ZoomWebSocketPeer peer, PostgresDatabase database)
    {
        var settings = peer.Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        // Zoom:WebSocket:LeaseInterval left at its default (2 s): the takeover time is the one a deployment gets.
        settings["Zoom__Environments__Development__SecretToken"] = "Zx8pQ2vLm4Rt7Wy1Kc6Nb3Hd";
        settings["Inbox__Provider"] = "Postgres";
        settings["ConnectionStrings__Inbox"] = database.ConnectionString;
        settings["Inbox__PollInterval"] = "00:00:00.100";
        return settings;
    }
}
