namespace ZoomWebhooks.Hosting;

/// <summary>
/// The library's background workers (the dispatcher, recordings, the WebSocket receiver,
/// retention) begin once the host has started, not when their own StartAsync returns. The
/// hosted services after them, Kestrel's binding last, may still refuse the start-up (a port in
/// use, a bad certificate): the host is then disposed without being stopped, and a dispatcher
/// already at work would have published events whose outcomes it could no longer record (a
/// full bench run met exactly that). They would have been dispatched again, but by a process
/// that never served a request.
/// </summary>
internal static class HostStart
{
    /// <summary>True once the host has started; false when it is stopped or disposed first.</summary>
    public static async Task<bool> WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return started.Task.IsCompletedSuccessfully;
    }
}
