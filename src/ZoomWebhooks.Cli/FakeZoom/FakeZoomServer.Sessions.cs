using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ZoomWebhooks.Cli.FakeZoom;

/// <summary>The fake's WebSocket side: one session per connection, heartbeats, and Zoom's frames.</summary>
public sealed partial class FakeZoomServer
{
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
