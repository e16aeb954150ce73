using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZoomWebhooks.Cli.FakeZoom;

/// <summary>What the fake checks: the subscription, the app's Server-to-Server credentials, and how long Zoom waits for a heartbeat.</summary>
public sealed record FakeZoomSettings(string SubscriptionId, string ClientId, string ClientSecret, string AccountId)
{
    public int Port { get; init; }

    /// <summary>A socket without a heartbeat for this long is closed, as Zoom closes silent connections.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The <c>expires_in</c> of the tokens its own token endpoint issues.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Which access tokens the WebSocket accepts; by default the ones its own token endpoint issued and did not expire.</summary>
    public Func<string, bool>? TokenIsValid { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// Zoom's WebSocket event subscription as a real server on 127.0.0.1, for the README's walkthrough
/// (<c>zoomhook fake-zoom</c>) and the tests: a token endpoint for <c>grant_type=account_credentials</c>
/// (HTTP Basic client id and secret), and <c>/ws?subscriptionId=..&amp;access_token=..</c>, which
/// checks both, answers <c>build_connection</c> (<c>success:false</c> for a refused token), answers
/// heartbeats, closes a socket whose heartbeats stop, and pushes events as <c>message</c> frames.
/// Controls, for a terminal: <c>POST /fake/push</c> (the body is the event), <c>/fake/close</c>,
/// <c>/fake/refuse-tokens?on=true|false</c>, <c>/fake/silence?on=true|false</c>, <c>GET /fake/status</c>.
/// </summary>
public sealed partial class FakeZoomServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeZoomSettings _settings;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentDictionary<int, Session> _open = new();
    private int _sessions;
    private int _maxOpen;
    private int _refused;
    private int _heartbeats;
    private int _heartbeatClosures;
    private int _closeFrames;
    private int _tokenCalls;

    private FakeZoomServer(WebApplication app, FakeZoomSettings settings)
    {
        _app = app;
        _settings = settings;
    }

    public string BaseUrl { get; private set; } = "";

    public string TokenUrl => BaseUrl + "/oauth/token";

    public string WebSocketUrl => "ws" + BaseUrl["http".Length..] + "/ws";

    /// <summary>Connections answered with a successful <c>build_connection</c>.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    public int OpenSessions => _open.Count;

    /// <summary>The most connections that were open at one moment.</summary>
    public int MaxOpenSessions => Volatile.Read(ref _maxOpen);

    /// <summary>Connections answered with <c>build_connection</c> <c>success:false</c>.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public int HeartbeatsReceived => Volatile.Read(ref _heartbeats);

    /// <summary>Sockets closed because their heartbeats stopped.</summary>
    public int HeartbeatClosures => Volatile.Read(ref _heartbeatClosures);

    /// <summary>Close frames received from clients (a proper close, or the answer to ours).</summary>
    public int CloseFramesReceived => Volatile.Read(ref _closeFrames);

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    /// <summary>While set, every connect is refused as with an invalid token.</summary>
    public bool RefuseTokens { get; set; }

    /// <summary>While set, the server answers nothing (no heartbeat answers) and closes nothing: a peer gone quiet.</summary>
    public bool Silent { get; set; }

    /// <summary>Says what happens, one line each (the command prints them).</summary>
    public Action<string>? Trace { get; init; }

    public static async Task<FakeZoomServer> StartAsync(FakeZoomSettings settings, Action<string>? trace = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, settings.Port));
        builder.Logging.ClearProviders();
        var fake = new FakeZoomServer(builder.Build(), settings) { Trace = trace };
        fake._app.UseWebSockets();
        fake._app.MapPost("/oauth/token", fake.TokenAsync);
        fake._app.Map("/ws", fake.ConnectAsync);
        fake._app.MapPost("/fake/push", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            return Results.Json(new { pushed = await fake.PushAsync(await reader.ReadToEndAsync()) });
        });
        fake._app.MapPost("/fake/close", async () => Results.Json(new { closed = await fake.CloseAllAsync() }));
        fake._app.MapPost("/fake/refuse-tokens", (bool on) => fake.RefuseTokens = on);
        fake._app.MapPost("/fake/silence", (bool on) => fake.Silent = on);
        fake._app.MapGet("/fake/status", () => Results.Json(new
        {
            open = fake.OpenSessions, sessions = fake.Sessions, refused = fake.Refused,
            heartbeats = fake.HeartbeatsReceived, heartbeatClosures = fake.HeartbeatClosures,
        }));
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>Makes every token issued so far invalid, as their expiry would.</summary>
    public void ExpireTokens()
    {
        foreach (var token in _tokens.Keys)
        {
            _tokens[token] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Sends <paramref name="eventJson"/> as the <c>content</c> of a <c>message</c> to every open socket; returns to how many.</summary>
    public async Task<int> PushAsync(string eventJson)
    {
        var frame = Frame("message", success: null, eventJson);
        var sent = 0;
        foreach (var session in _open.Values)
        {
            if (await session.SendAsync(frame))
            {
                sent++;
            }
        }

        Trace?.Invoke($"pushed an event to {sent} connection(s)");
        return sent;
    }

    /// <summary>Closes every open socket from the server's side; returns how many.</summary>
    public async Task<int> CloseAllAsync()
    {
        var sessions = _open.Values.ToList();
        foreach (var session in sessions)
        {
            await session.CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by the fake");
        }

        return sessions.Count;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAllAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenCalls);
        var basic = request.Headers.Authorization.ToString();
        var pair = basic.StartsWith("Basic ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(basic["Basic ".Length..])).Split(':', 2)
            : [];
        if (pair.Length != 2 || pair[0] != _settings.ClientId || pair[1] != _settings.ClientSecret)
        {
            return Results.Json(new { reason = "Invalid client_id or client_secret", error = "invalid_client" }, statusCode: 401);
        }

        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "account_credentials" || form["account_id"] != _settings.AccountId)
        {
            return Results.Json(new { reason = "Invalid request : Unsupported grant type or account", error = "invalid_request" }, statusCode: 400);
        }

        var token = "fz-" + Guid.NewGuid().ToString("N");
        _tokens[token] = _settings.Time.GetUtcNow() + _settings.TokenLifetime;
        return Results.Json(new { access_token = token, token_type = "bearer", expires_in = (int)_settings.TokenLifetime.TotalSeconds, scope = "meeting:read:admin" });
    }
}
