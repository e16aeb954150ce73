using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
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
public sealed class FakeZoomServer : IAsyncDisposable
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

    private bool IsValid(string token) => _settings.TokenIsValid is { } check
        ? check(token)
        : _tokens.TryGetValue(token, out var expires) && _settings.Time.GetUtcNow() < expires;

    private async Task ConnectAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (context.Request.Query["subscriptionId"] != _settings.SubscriptionId)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new Session(socket);
        if (RefuseTokens || !IsValid(context.Request.Query["access_token"].ToString()))
        {
            Interlocked.Increment(ref _refused);
            Trace?.Invoke("refused a connection: the token is not valid");
            // Zoom answers and closes; its wording has changed over time, the client must not depend on it.
            await session.SendAsync(Frame("build_connection", success: false, "Token is invalid"));
            await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid token");
            return;
        }

        var id = Interlocked.Increment(ref _sessions);
        _open[id] = session;
        InterlockedMax(ref _maxOpen, _open.Count);
        Trace?.Invoke($"connection {id} open");
        try
        {
            await session.SendAsync(Frame("build_connection", success: true, "connected"));
            await ServeAsync(id, session, context.RequestAborted);
        }
        finally
        {
            _open.TryRemove(id, out _);
            Trace?.Invoke($"connection {id} closed");
        }
    }

    private async Task ServeAsync(int id, Session session, CancellationToken aborted)
    {
        var time = _settings.Time;
        var lastHeartbeat = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var watchdog = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50), time);
            while (await tick.WaitForNextTickAsync(stop.Token))
            {
                if (!Silent && time.GetElapsedTime(Interlocked.Read(ref lastHeartbeat)) > _settings.HeartbeatTimeout)
                {
                    Interlocked.Increment(ref _heartbeatClosures);
                    Trace?.Invoke($"connection {id}: no heartbeat for {_settings.HeartbeatTimeout}, closing it");
                    await session.CloseAsync(WebSocketCloseStatus.PolicyViolation, "heartbeat timeout");
                    return;
                }
            }
        }, CancellationToken.None);

        var buffer = new byte[4096];
        try
        {
            while (session.Socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await session.Socket.ReceiveAsync(buffer, stop.Token);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref _closeFrames);
                    await session.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
                    break;
                }

                if (ModuleOf(message.ToArray()) == "heartbeat")
                {
                    Interlocked.Increment(ref _heartbeats);
                    if (!Silent)
                    {
                        Interlocked.Exchange(ref lastHeartbeat, time.GetTimestamp());
                        await session.SendAsync(Frame("heartbeat", success: true, null));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away (or was killed).
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await watchdog;
            }
            catch (OperationCanceledException)
            {
                // Stopped with the session.
            }
        }
    }

    private static string? ModuleOf(byte[] frame)
    {
        try
        {
            using var document = JsonDocument.Parse(frame);
            return document.RootElement.TryGetProperty("module", out var module) ? module.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Frame(string module, bool? success, string? content)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("module", module);
            if (success is { } ok)
            {
                writer.WriteBoolean("success", ok);
            }

            if (content is not null)
            {
                writer.WriteString("content", content);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    private sealed class Session(WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket { get; } = socket;

        public async Task<bool> SendAsync(byte[] frame)
        {
            await _send.WaitAsync();
            try
            {
                await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                return true;
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                return false;
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string description)
        {
            await _send.WaitAsync();
            try
            {
                if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await Socket.CloseOutputAsync(status, description, deadline.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                // Gone already.
            }
            finally
            {
                _send.Release();
            }
        }
    }
}
