using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Hosting;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.OAuth;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// Keeps the subscription connected while this receiver holds its lease: reconnects on any close
/// or error, the first retry within a second, then with exponential backoff and jitter up to
/// <c>Zoom:WebSocket:MaxReconnectDelay</c> (Polly). A connection that stayed up that long starts
/// the backoff afresh, so the next reconnect is immediate. Zoom does not redeliver what it sent
/// while the socket was closed, so every disconnect is logged with its reason, and every
/// reconnect with how long the socket was down.
/// </summary>
internal sealed partial class WebSocketReceiver(
    IOptionsMonitor<ZoomOptions> options,
    IOptionsMonitor<InboxOptions> inboxOptions,
    SubscriptionLease lease,
    AccountTokens tokens,
    IInbox inbox,
    DispatchSignal signal,
    WebSocketStatus status,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<WebSocketReceiver> logger) : BackgroundService
{
    private IncomingEvent? _pending;
    private DateTimeOffset? _gapStart;
    private SessionEnd? _lastEnd;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue.WebSocket;
        if (!settings.Enabled)
        {
            return;
        }

        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        status.Start();
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await HoldAsync(settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never the host's end: the subscription is this receiver's job for as long as it runs.
                Log.Unexpected(logger, ex);
                status.LeaseReleased();
                await Task.Delay(settings.MaxReconnectDelay, time, stoppingToken);
            }
        }

        if (_pending is { } pending)
        {
            Log.PendingLost(logger, pending.EventName);
        }
    }

    /// <summary>Takes the lease, then keeps the socket connected until the lease is lost or the host stops.</summary>
    private async Task HoldAsync(ZoomWebSocketOptions settings, CancellationToken stoppingToken)
    {
        await using var held = await lease.AcquireAsync(settings.SubscriptionId!, stoppingToken);
        status.LeaseTaken();
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var connecting = ConnectLoopAsync(settings, lost.Token);
        if (await Task.WhenAny(connecting, held.Lost) != connecting)
        {
            await lost.CancelAsync();
        }

        try
        {
            await connecting;
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // The lease was lost: the socket is closed; take it again (or stand by).
        }
        finally
        {
            status.LeaseReleased();
        }
    }

    private async Task ConnectLoopAsync(ZoomWebSocketOptions settings, CancellationToken cancellationToken)
    {
        var reconnect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SessionFailedException>(),
                MaxRetryAttempts = int.MaxValue,
                Delay = settings.ReconnectDelay,
                MaxDelay = settings.MaxReconnectDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        while (!cancellationToken.IsCancellationRequested)
        {
            await reconnect.ExecuteAsync(async token =>
            {
                var end = await AttemptAsync(settings, token);
                token.ThrowIfCancellationRequested();
                if (!end.WasConnected || end.ConnectedFor < settings.MaxReconnectDelay)
                {
                    throw new SessionFailedException(end.Reason);
                }
            }, cancellationToken);
        }
    }

    private async Task<SessionEnd> AttemptAsync(ZoomWebSocketOptions settings, CancellationToken cancellationToken)
    {
        var session = new WebSocketSession(settings, inboxOptions.CurrentValue.Ordering, tokens, inbox, signal, status, time, logger) { OnConnected = () => Connected(settings) };
        // The event read when the store failed goes in first: it was never acknowledged to anyone.
        if (_pending is { } pending)
        {
            if (!await session.TryStoreAsync(pending, cancellationToken))
            {
                return new SessionEnd(SessionEnd.InboxUnavailable, false, TimeSpan.Zero);
            }

            _pending = null;
            Log.PendingStored(logger, pending.EventName);
        }

        var end = await session.RunAsync(cancellationToken);
        _pending = session.Pending;
        if (end.Reason == SessionEnd.Stopped)
        {
            return end;
        }

        status.Disconnected(end.Reason, end.WasConnected);
        _lastEnd = end;
        if (end.WasConnected)
        {
            Log.Disconnected(logger, end.Reason, end.Detail ?? "", (long)end.ConnectedFor.TotalSeconds);
        }
        else
        {
            Log.ConnectFailed(logger, end.Reason, end.Detail ?? "");
        }

        if (end.Reason == SessionEnd.InboxUnavailable && _gapStart is null)
        {
            _gapStart = time.GetUtcNow();
            Log.GapStarted(logger, _gapStart.Value);
        }

        return end;
    }

    private void Connected(ZoomWebSocketOptions settings)
    {
        var since = status.Connected();
        var now = time.GetUtcNow();
        Log.Connected(logger, settings.SubscriptionId!, (long)(now - since).TotalMilliseconds, since, _lastEnd?.Reason ?? "start");
        if (_gapStart is { } gap)
        {
            Log.GapEnded(logger, gap, now, (long)(now - gap).TotalMilliseconds);
            _gapStart = null;
        }
    }

    /// <summary>A connection that failed or did not last: the reconnect waits, longer each time.</summary>
    private sealed class SessionFailedException(string reason) : Exception($"The WebSocket session ended: {reason}");

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Zoom WebSocket subscription {SubscriptionId} connected after {DowntimeMs} ms down (since {DownSince:O}, last disconnect: {DisconnectReason})")]
        public static partial void Connected(ILogger logger, string subscriptionId, long downtimeMs, DateTimeOffset downSince, string disconnectReason);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Zoom WebSocket disconnected ({DisconnectReason} {Detail}) after {ConnectedSeconds} s up; reconnecting. Zoom does not redeliver events sent while it is down")]
        public static partial void Disconnected(ILogger logger, string disconnectReason, string detail, long connectedSeconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Zoom WebSocket connect failed ({DisconnectReason} {Detail}); retrying with backoff")]
        public static partial void ConnectFailed(ILogger logger, string disconnectReason, string detail);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "Inbox unavailable: the Zoom WebSocket was closed at {GapStart:O}; events Zoom sends until it reconnects are lost (gap start)")]
        public static partial void GapStarted(ILogger logger, DateTimeOffset gapStart);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Inbox back, Zoom WebSocket reconnected: events Zoom sent between {GapStart:O} and {GapEnd:O} ({GapMs} ms) were not received (gap end)")]
        public static partial void GapEnded(ILogger logger, DateTimeOffset gapStart, DateTimeOffset gapEnd, long gapMs);

        [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket event {ZoomEvent}, held while the inbox was down, is stored")]
        public static partial void PendingStored(ILogger logger, string zoomEvent);

        [LoggerMessage(Level = LogLevel.Error, Message = "The Zoom WebSocket receiver failed unexpectedly; starting over")]
        public static partial void Unexpected(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with WebSocket event {ZoomEvent} not stored: the inbox never came back; it is lost")]
        public static partial void PendingLost(ILogger logger, string zoomEvent);
    }
}
