using ZoomWebhooks.Cli.FakeZoom;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.WebSockets;

/// <summary>
/// Zoom's two servers for a WebSocket subscription, both real on 127.0.0.1: the fake OAuth server
/// (account_credentials for a registered Server-to-Server app) and the fake WebSocket endpoint of
/// <c>zoomhook fake-zoom</c>, which accepts only the tokens the OAuth server issued and has not expired.
/// </summary>
public sealed class ZoomWebSocketPeer : IAsyncDisposable
{
    public const string SubscriptionId = "sub-ws-test-1";
    public const string ClientId = "S2SClientIdDev01";
    public const string ClientSecret = "s2s-client-secret-dev-0123456789";
    public const string AccountId = "acct-ws-1";

    private ZoomWebSocketPeer(FakeZoomOAuth oauth, FakeZoomServer socket)
    {
        OAuth = oauth;
        Socket = socket;
    }

    public FakeZoomOAuth OAuth { get; }

    public FakeZoomServer Socket { get; }

    public static async Task<ZoomWebSocketPeer> StartAsync(TimeSpan? heartbeatTimeout = null)
    {
        var oauth = await FakeZoomOAuth.StartAsync();
        oauth.RegisterServerApp(ClientId, ClientSecret, AccountId);
        var socket = await FakeZoomServer.StartAsync(new FakeZoomSettings(SubscriptionId, ClientId, ClientSecret, AccountId)
        {
            HeartbeatTimeout = heartbeatTimeout ?? TimeSpan.FromSeconds(3),
            TokenIsValid = oauth.IsValidAccountToken,
        });
        return new ZoomWebSocketPeer(oauth, socket);
    }

    /// <summary>
    /// The service's settings for this peer: a heartbeat every second (so a peer silent for 2 s is
    /// given up: at 500 ms a busy test machine was seen to look silent), quick reconnects.
    /// </summary>
    public Dictionary<string, string?> Settings(string heartbeat = "00:00:01") => new()
    {
        ["Zoom:WebSocket:Enabled"] = "true",
        ["Zoom:WebSocket:SubscriptionId"] = SubscriptionId,
        ["Zoom:WebSocket:Url"] = Socket.WebSocketUrl,
        ["Zoom:WebSocket:HeartbeatInterval"] = heartbeat,
        ["Zoom:WebSocket:ReconnectDelay"] = "00:00:00.100",
        ["Zoom:WebSocket:MaxReconnectDelay"] = "00:00:01",
        ["Zoom:OAuth:TokenUrl"] = OAuth.TokenUrl,
        ["Zoom:OAuth:RetryDelay"] = "00:00:00.010",
        ["Zoom:Environments:Development:AccountId"] = AccountId,
        ["Zoom:Environments:Development:ClientId"] = ClientId,
        ["Zoom:Environments:Development:ClientSecret"] = ClientSecret,
    };

    /// <summary>Waits until the service has a connection open and Zoom answered it.</summary>
    public Task WaitConnectedAsync(int sessions = 1, string because = "the service connects") =>
        Eventually.Until(() => Task.FromResult((Socket.Sessions, Socket.OpenSessions)), s => s.Sessions >= sessions && s.OpenSessions == 1,
            TimeSpan.FromSeconds(15), because);

    /// <summary>The <c>transport</c> column of every row, by id.</summary>

    public async ValueTask DisposeAsync()
    {
        await Socket.DisposeAsync();
        await OAuth.DisposeAsync();
    }
}
