using System.Threading.Channels;

namespace ZoomWebhooks.Dispatch;

/// <summary>
/// Wakes a background loop when there is work, so a quiet service reacts in milliseconds without
/// polling its store in a tight loop. Signals coalesce: many notifications, one wake-up. Each loop
/// has its own subclass, so each is its own singleton.
/// </summary>
internal abstract class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>
    /// Returns when notified or after <paramref name="timeout"/>, whichever comes first: the
    /// timeout is the loop's poll, for retries that have come due.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: poll anyway.
        }
    }
}
