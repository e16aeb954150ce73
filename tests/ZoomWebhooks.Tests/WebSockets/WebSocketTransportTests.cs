using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.WebSockets;

/// <summary>
/// The WebSocket transport against real peers on 127.0.0.1 (<see cref="ZoomWebSocketPeer"/>): the
/// service in memory on a SQLite inbox, real time, a heartbeat every second.
/// </summary>
public sealed class WebSocketTransportTests
{
    // Raw UTF-8, escapes of every kind and a '+': the stored body must be these bytes, not a re-serialization.
    private const string Tricky =
        """{"event":"meeting.started","event_ts":1780000000001,"payload":{"account_id":"acct-ws-1","object":{"uuid":"ab+cd/ef==","id":"81234567890","host_id":"h-1","topic":"Caf\u00e9 🚀 \uD83D\uDE80 a\u002Bb \"q\""}}}""";

    [Fact]
    public async Task Pushed_events_are_stored_byte_for_byte_as_websocket_dispatched_once_and_a_repeat_is_a_duplicate()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        using var service = Service(peer, handler);
        await peer.WaitConnectedAsync();

        (await peer.Socket.PushAsync(Tricky)).Should().Be(1);
        await handler.WaitForGenericAsync(1);
        (await peer.Socket.PushAsync(Tricky)).Should().Be(1, "Zoom may send an event twice");
        var second = Payloads.MeetingStarted();
        await peer.Socket.PushAsync(second);
        await handler.WaitForGenericAsync(2);

        var rows = await InboxRows.ReadAsync(service.DatabasePath);
        rows.Should().HaveCount(2, "the repeat is a duplicate, stored once");
        rows[0].Body.Should().Equal(Encoding.UTF8.GetBytes(Tricky), "the body is the content's bytes exactly as received");
        rows[1].Body.Should().Equal(Encoding.UTF8.GetBytes(second));
        (await InboxRows.ColumnAsync(service.DatabasePath, "transport")).Should().Equal("websocket", "websocket");
        await Eventually.Until(() => InboxRows.ReadAsync(service.DatabasePath), r => r.All(x => x.Status == InboxStatus.Done), because: "both dispatched");
        handler.Generic.Select(g => g.InboxId).Should().Equal(rows[0].Id, rows[1].Id);
        handler.Received.OfType<MeetingStarted>().Should().HaveCount(2, "typed notifications, as for webhooks");
        service.Logs.WithProperty("Outcome", "duplicate").Should().ContainSingle("the repeat was read and found stored");

        // Beside it, Zoom's POST still works and is marked as such.
        (await service.PostSignedAsync(Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK);
        (await InboxRows.ColumnAsync(service.DatabasePath, "transport")).Should().Equal("websocket", "websocket", "webhook");

        // Heartbeats on time: the fake closes a socket silent for 3 s; four beats later it is still the first.
        await Eventually.Until(() => Task.FromResult(peer.Socket.HeartbeatsReceived), n => n >= 4, because: "heartbeats arrive");
        peer.Socket.HeartbeatClosures.Should().Be(0);
        peer.Socket.Sessions.Should().Be(1);
        NoTokenLogged(service, peer);
    }

    [Fact]
    public async Task A_participant_event_gets_the_same_ordering_key_over_either_transport()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        using var service = Service(peer, new RecordingHandler());
        await peer.WaitConnectedAsync();
        var uuid = Payloads.NewUuid();

        await peer.Socket.PushAsync(Payloads.ParticipantJoined(uuid, eventTs: 1_780_000_000_100, userId: "ada"));
        await Eventually.Until(() => InboxRows.ReadAsync(service.DatabasePath), rows => rows.Count == 1, because: "the pushed join is stored");
        (await service.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 1_780_000_000_200, userId: "ada"))).StatusCode.Should().Be(HttpStatusCode.OK);

        // Participant ordering (the default): one person's events, whichever way they came, are ordered together, apart from the meeting.
        var keys = await InboxRows.ColumnAsync(service.DatabasePath, "ordering_key");
        keys.Should().HaveCount(2);
        keys[0].Should().NotBeNull().And.StartWith(uuid + "|").And.NotBe(uuid, "a participant event is ordered by its participant, not its meeting");
        keys[1].Should().Be(keys[0], "the webhook delivery of the same person's event gets the same key");
    }

    [Fact]
    public async Task When_Zoom_closes_the_socket_the_service_reconnects_within_seconds_and_later_events_arrive()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        using var service = Service(peer, handler);
        await peer.WaitConnectedAsync();

        (await peer.Socket.CloseAllAsync()).Should().Be(1);
        await peer.WaitConnectedAsync(sessions: 2, "a reconnect within seconds of the close");
        await peer.Socket.PushAsync(Payloads.MeetingStarted());

        await handler.WaitForGenericAsync(1);
        service.Logs.WithProperty("DisconnectReason", "closed").Should().HaveCount(2, "the disconnect, and the reconnect that names it");
        var reconnect = service.Logs.WithProperty("DisconnectReason", "closed").Single(e => e.Properties.ContainsKey("DowntimeMs"));
        reconnect.Properties.Should().ContainKey("DownSince");
        peer.OAuth.AccountGrants.Should().Be(1, "the cached token still serves");
        NoTokenLogged(service, peer);
    }

    [Fact]
    public async Task An_expired_token_is_refused_once_replaced_by_a_new_one_and_events_flow_again()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        using var service = Service(peer, handler);
        await peer.WaitConnectedAsync();
        peer.OAuth.AccountGrants.Should().Be(1);

        // Zoom's token ends before the client expected (it said 1 hour): the reconnect's cached token is refused.
        peer.OAuth.ExpireAccountTokens();
        await peer.Socket.CloseAllAsync();
        await peer.WaitConnectedAsync(sessions: 2, "a reconnect with a new token");
        await peer.Socket.PushAsync(Payloads.MeetingStarted());

        await handler.WaitForGenericAsync(1);
        peer.Socket.Refused.Should().Be(1, "the cached token was tried once and refused");
        peer.OAuth.AccountGrants.Should().Be(2, "the refused token was replaced");
        service.Logs.WithProperty("DisconnectReason", "token_refused").Should().NotBeEmpty();
        NoTokenLogged(service, peer);
    }

    [Fact]
    public async Task Without_heartbeats_in_time_Zoom_closes_the_socket_and_the_service_reconnects()
    {
        // The client beats every 5 s; this Zoom closes a socket silent for 300 ms.
        await using var peer = await ZoomWebSocketPeer.StartAsync(heartbeatTimeout: TimeSpan.FromMilliseconds(300));
        var handler = new RecordingHandler();
        using var service = Service(peer, handler, new() { ["Zoom:WebSocket:HeartbeatInterval"] = "00:00:05" });

        await Eventually.Until(() => Task.FromResult((peer.Socket.HeartbeatClosures, peer.Socket.Sessions)),
            s => s.HeartbeatClosures >= 1 && s.Sessions >= 2, TimeSpan.FromSeconds(10), "Zoom closed a silent socket and the service connected again");

        service.Logs.WithProperty("DisconnectReason", "closed")
            .Should().Contain(e => e.RenderMessage(null).Contains("heartbeat timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_peer_that_goes_silent_is_given_up_and_the_service_reconnects()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        using var service = Service(peer, handler);
        await peer.WaitConnectedAsync();

        // No answer to heartbeats and no close: a half-open connection, as after a NAT timeout.
        peer.Socket.Silent = true;
        await Eventually.Until(() => Task.FromResult(peer.Socket.Sessions), n => n >= 2, TimeSpan.FromSeconds(10), "a new connection");
        service.Logs.WithProperty("DisconnectReason", "silent").Should().NotBeEmpty();
        peer.Socket.Silent = false;

        // The same event until it is dispatched: a repeat is a duplicate, so this stores it once.
        var body = Payloads.MeetingStarted();
        await Eventually.Until(async () => { await peer.Socket.PushAsync(body); return handler.Generic.Count; }, n => n >= 1, because: "events flow again");
        (await InboxRows.ReadAsync(service.DatabasePath)).Should().ContainSingle();
    }

    [Fact]
    public async Task When_the_inbox_cannot_store_a_message_the_socket_is_closed_the_message_kept_and_the_gap_logged()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var path = TempDatabase.NewPath();
        var (inbox, faults) = FaultyInbox.Wrap(new SqliteInbox($"Data Source={path}"), nameof(IInbox.AcceptAsync));
        faults.Failing = false;
        var handler = new RecordingHandler();
        using var service = Service(peer, handler, configure: services => services.AddSingleton(inbox));
        await peer.WaitConnectedAsync();

        faults.Failing = true;
        // Not a meeting event: this inbox's file is not the one the meeting facts are written to.
        var body = Payloads.Custom("user.updated");
        await peer.Socket.PushAsync(body);
        await Eventually.Until(() => Task.FromResult(service.Logs.Events.Any(e => e.Properties.ContainsKey("GapStart") && !e.Properties.ContainsKey("GapEnd"))),
            logged => logged, because: "the gap's start is logged");
        await Eventually.Until(() => Task.FromResult(peer.Socket.OpenSessions), n => n == 0, because: "the service closed the socket");
        peer.Socket.Sessions.Should().Be(1, "no reconnect while the store is down");

        faults.Failing = false;
        await handler.WaitForGenericAsync(1);
        await peer.WaitConnectedAsync(sessions: 2, "a reconnect once the store is back");

        (await InboxRows.ReadAsync(path)).Should().ContainSingle().Which.Body.Should().Equal(Encoding.UTF8.GetBytes(body), "the message read during the outage is not dropped");
        await Eventually.Until(() => Task.FromResult(service.Logs.Events.Any(e => e.Properties.ContainsKey("GapEnd"))), logged => logged, because: "the gap's end is logged");
        TempDatabase.Delete(path);
    }

    [Fact]
    public async Task Readiness_fails_after_UnreadyAfter_without_a_connection_and_the_metrics_say_so()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        using var service = Service(peer, handler, new() { ["Zoom:WebSocket:UnreadyAfter"] = "00:00:00.500" });
        var client = service.CreateClient();
        await ServiceConnectedAsync(service);
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetStringAsync("/metrics")).Should().Contain("zoomwebhooks_websocket_connected 1");

        peer.Socket.RefuseTokens = true;
        await peer.Socket.CloseAllAsync();
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable,
            because: "unready once down for longer than Zoom:WebSocket:UnreadyAfter");
        var metrics = await client.GetStringAsync("/metrics");
        metrics.Should().Contain("zoomwebhooks_websocket_connected 0").And.Contain("zoomwebhooks_websocket_disconnects_total{reason=\"token_refused\"}");

        peer.Socket.RefuseTokens = false;
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, because: "ready again once connected");
        NoTokenLogged(service, peer);
    }

    [Fact]
    public async Task Stopping_the_service_closes_the_socket_with_a_close_frame_not_a_dropped_connection()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var handler = new RecordingHandler();
        var service = Service(peer, handler);
        await ServiceConnectedAsync(service);

        await service.DisposeAsync();

        await Eventually.Until(() => Task.FromResult(peer.Socket.OpenSessions), n => n == 0, because: "the socket is closed");
        peer.Socket.CloseFramesReceived.Should().Be(1, "the receiver said goodbye");
        service.Logs.WithProperty("DisconnectReason", "error").Should().BeEmpty();
    }

    [Fact]
    public async Task Disabled_the_feature_does_nothing_no_token_no_connection_no_metrics()
    {
        await using var peer = await ZoomWebSocketPeer.StartAsync();
        var settings = peer.Settings();
        settings["Zoom:WebSocket:Enabled"] = "false";
        settings["Zoom:WebSocket:SubscriptionId"] = null;
        using var service = new ServiceFactory(settings, time: TimeProvider.System);
        var client = service.CreateClient();

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetStringAsync("/metrics")).Should().NotContain("zoomwebhooks_websocket");
        peer.OAuth.AccountGrants.Should().Be(0);
        peer.Socket.Sessions.Should().Be(0);
    }

    private static ServiceFactory Service(
        ZoomWebSocketPeer peer, RecordingHandler handler, Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = peer.Settings();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var service = new ServiceFactory(settings, time: TimeProvider.System).WithServices(services =>
        {
            RecordingHandler.AddTo(services, handler);
            configure?.Invoke(services);
        });
        _ = service.Services;
        return service;
    }

    /// <summary>
    /// The service read Zoom's <c>build_connection</c> (its "connected" line), which is later than
    /// the fake counting the session: a stop before it would cut the handshake, not close a socket.
    /// </summary>
    private static Task ServiceConnectedAsync(ServiceFactory service) =>
        Eventually.Until(() => Task.FromResult(service.Logs.Events.Count(e => e.Properties.ContainsKey("DowntimeMs"))), n => n >= 1,
            because: "the service is connected");

    private static void NoTokenLogged(ServiceFactory service, ZoomWebSocketPeer peer)
    {
        var logs = service.Logs.AllText();
        peer.OAuth.Issued.Should().NotBeEmpty();
        foreach (var token in peer.OAuth.Issued)
        {
            logs.Should().NotContain(token);
        }

        logs.Should().NotContain(ZoomWebSocketPeer.ClientSecret).And.NotContain("access_token=");
    }
}
