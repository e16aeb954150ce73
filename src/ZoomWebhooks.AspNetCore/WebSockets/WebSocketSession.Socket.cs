using System.Net.WebSockets;

namespace ZoomWebhooks.WebSockets;

/// <summary>The socket's side of a session: heartbeats, the silence watch, and closing it.</summary>
internal sealed partial class WebSocketSession
{
    /// <summary>
    /// Sends a heartbeat every interval, and aborts the socket when nothing at all came from Zoom
    /// for two intervals (its answers included): a silent peer or a half-open TCP connection.
    /// </summary>
    private async Task HeartbeatAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(settings.HeartbeatInterval, time, cancellationToken);
            if (time.GetElapsedTime(Interlocked.Read(ref _lastReceived)) > settings.HeartbeatInterval * 2)
            {
                _silent = true;
                socket.Abort();
                return;
            }

            await _send.WaitAsync(cancellationToken);
            try
            {
                await socket.SendAsync(ZoomFrame.HeartbeatFrame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // The read loop sees the broken socket and ends the session.
                return;
            }
            finally
            {
                _send.Release();
            }
        }
    }

    private void MarkReceived() => Interlocked.Exchange(ref _lastReceived, time.GetTimestamp());

    private async Task CloseAsync(ClientWebSocket socket, WebSocketCloseStatus closeStatus, string description)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        await _send.WaitAsync();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(closeStatus, description, deadline.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing is a courtesy; the session ends either way.
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task CloseThenAbortAsync(ClientWebSocket socket, CancellationTokenSource receiving)
    {
        await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, "receiver stopping");
        try
        {
            receiving.CancelAfter(TimeSpan.FromSeconds(2));
        }
        catch (ObjectDisposedException)
        {
            // The session ended meanwhile.
        }
    }
}
