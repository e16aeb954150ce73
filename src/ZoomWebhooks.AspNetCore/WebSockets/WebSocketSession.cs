using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Telemetry;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// One connection to the subscription: connect with a fresh (or cached) token, heartbeat every
/// interval, and store each <c>message</c> in the inbox before reading the next frame. A store that
/// fails closes the socket (Zoom would otherwise keep sending into a receiver that cannot keep it)
/// and leaves the event in <see cref="Pending"/>, to be stored before the next connect.
/// </summary>
internal sealed partial class WebSocketSession(
    ZoomWebSocketOptions settings,
    InboxOrdering ordering,
    AccountTokens tokens,
    IInbox inbox,
    DispatchSignal signal,
    WebSocketStatus status,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(10);
    private const int MaxFrameBytes = 4 * 1024 * 1024;

    private readonly SemaphoreSlim _send = new(1, 1);
    private long? _connectedAt;
    private long _lastReceived;
    private volatile bool _silent;

    /// <summary>Called once Zoom answered the connect with a successful <c>build_connection</c>.</summary>
    public Action? OnConnected { get; init; }

    /// <summary>A message read but not stored when the store failed; the receiver stores it before reconnecting.</summary>
    public IncomingEvent? Pending { get; private set; }

    public async Task<SessionEnd> RunAsync(CancellationToken cancellationToken)
    {
        AccountToken token;
        try
        {
            token = await tokens.GetAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // ZoomOAuthException says Zoom's error code; anything else (a timeout) only its type.
            return new SessionEnd(SessionEnd.TokenUnavailable, false, TimeSpan.Zero, ex is ZoomOAuthException zoom ? zoom.Error : ex.GetType().Name);
        }

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // The URL holds the token: it is built here and never logged or put in an exception.
        var url = new Uri($"{settings.Url}?subscriptionId={Uri.EscapeDataString(settings.SubscriptionId!)}&access_token={Uri.EscapeDataString(token.AccessToken)}");
        try
        {
            using var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectDeadline.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(url, connectDeadline.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // A handshake refused with 401/403 is a refused token: structure, not Zoom's wording.
            if (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                tokens.Invalidate(token);
                return new SessionEnd(SessionEnd.TokenRefused, false, TimeSpan.Zero, $"HTTP {(int)socket.HttpStatusCode}");
            }

            return new SessionEnd(SessionEnd.ConnectFailed, false, TimeSpan.Zero,
                socket.HttpStatusCode == 0 ? ex.GetType().Name : $"HTTP {(int)socket.HttpStatusCode}");
        }

        MarkReceived();
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeats = HeartbeatAsync(socket, heartbeatStop.Token);
        try
        {
            // On stop (or a lost lease) the socket is closed properly, then read to Zoom's answer:
            // cancelling the read itself would abort the connection, and with it a message half read.
            using var receiving = new CancellationTokenSource();
            using var stopping = cancellationToken.Register(() => _ = CloseThenAbortAsync(socket, receiving));
            return await ReadAsync(socket, token, receiving.Token, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever broke the connection, the receiver reconnects: nothing here may stop the host.
            if (cancellationToken.IsCancellationRequested)
            {
                await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "receiver stopping");
                return End(SessionEnd.Stopped);
            }

            return End(_silent ? SessionEnd.Silent : SessionEnd.Error,
                _silent ? "no frame from Zoom for two heartbeat intervals" : ex.GetType().Name);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            try
            {
                await heartbeats;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidOperationException or ObjectDisposedException)
            {
                // Stopped, or broken, with the connection.
            }
        }
    }

    private SessionEnd End(string reason, string? detail = null) =>
        new(reason, _connectedAt is not null, _connectedAt is { } at ? time.GetElapsedTime(at) : TimeSpan.Zero, detail);

    private async Task<SessionEnd> ReadAsync(ClientWebSocket socket, AccountToken token, CancellationToken receiving, CancellationToken cancellationToken)
    {
        using var frame = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            frame.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, receiving);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return End(SessionEnd.Stopped);
                    }

                    await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "");
                    return End(SessionEnd.Closed, $"{(int?)result.CloseStatus} {result.CloseStatusDescription}".Trim());
                }

                frame.Write(buffer, 0, result.Count);
                if (frame.Length > MaxFrameBytes)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "frame too large");
                    return End(SessionEnd.Error, "frame too large");
                }
            }
            while (!result.EndOfMessage);

            MarkReceived();
            if (!ZoomFrame.TryParse(frame.GetBuffer().AsSpan(0, (int)frame.Length), out var parsed))
            {
                Log.UnreadableFrame(logger, frame.Length);
                continue;
            }

            switch (parsed.Module)
            {
                case ZoomFrame.BuildConnection when parsed.Success == false:
                    // Zoom's wording for a bad token has changed ("Invalid Token", "Token is invalid"):
                    // a refused build_connection is a refused token, whatever it says.
                    tokens.Invalidate(token);
                    await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "");
                    return new SessionEnd(SessionEnd.TokenRefused, false, TimeSpan.Zero, parsed.Text);
                case ZoomFrame.BuildConnection when _connectedAt is null:
                    _connectedAt = time.GetTimestamp();
                    OnConnected?.Invoke();
                    break;
                case ZoomFrame.Message when parsed.Content is { } content:
                    // Not cancelled by a stop: a message read is stored (or kept) before anything else.
                    if (!await StoreAsync(content, CancellationToken.None))
                    {
                        await CloseAsync(socket, WebSocketCloseStatus.InternalServerError, "inbox unavailable");
                        return End(SessionEnd.InboxUnavailable);
                    }

                    break;
            }
        }
    }

    /// <summary>False when the store failed: the event is kept in <see cref="Pending"/>.</summary>
    private async Task<bool> StoreAsync(byte[] content, CancellationToken cancellationToken)
    {
        if (!WebhookEnvelope.TryParse(content, out var envelope) || envelope.IsUrlValidation)
        {
            status.Message("malformed");
            Log.MalformedEvent(logger, content.Length);
            return true;
        }

        using var activity = Tracing.Source.StartActivity(Tracing.Accept);
        activity?.SetTag(Tracing.MessagingSystem, "zoom").SetTag(Tracing.OperationType, "receive")
            .SetTag(Tracing.OperationName, "accept").SetTag(Tracing.Destination, envelope.Event);
        var receivedAt = time.GetUtcNow();
        var incoming = IncomingEvent.Create(content, envelope.Event, envelope.EventTs,
            envelope.MeetingUuid, requestId: null, trackingId: null, receivedAt, Tracing.TraceParent(activity ?? Activity.Current),
            IncomingEvent.WebSocket) with
        {
            // The same key a webhook delivery of this event gets, so both transports order alike.
            OrderingKey = OrderingKeys.For(ordering, envelope.MeetingUuid, envelope.ParticipantKey),
        };
        return await TryStoreAsync(incoming, cancellationToken);
    }

    /// <summary>Stores <paramref name="incoming"/>; on failure keeps it as <see cref="Pending"/>.</summary>
    public async Task<bool> TryStoreAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StoreTimeout);
            var result = await inbox.AcceptAsync(incoming, deadline.Token);
            Pending = null;
            status.Message(result.IsNew ? "accepted" : "duplicate");
            if (result.IsNew)
            {
                signal.Notify();
            }

            Log.Stored(logger, incoming.EventName, result.Id, result.IsNew ? "accepted" : "duplicate");
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Pending = incoming;
            Log.StoreFailed(logger, ex, incoming.EventName);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket event {ZoomEvent} stored as inbox {InboxId} ({Outcome})")]
        public static partial void Stored(ILogger logger, string zoomEvent, long? inboxId, string outcome);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "Could not store WebSocket event {ZoomEvent}; closing the socket so that nothing more arrives unstored, and keeping the event to store when the inbox is back")]
        public static partial void StoreFailed(ILogger logger, Exception exception, string zoomEvent);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A WebSocket message of {Length} bytes is not a Zoom event envelope; not stored")]
        public static partial void MalformedEvent(ILogger logger, int length);

        [LoggerMessage(Level = LogLevel.Debug, Message = "An unreadable WebSocket frame of {Length} bytes was ignored")]
        public static partial void UnreadableFrame(ILogger logger, long length);
    }
}
