namespace ZoomWebhooks.Recordings;

/// <summary>
/// The lease on one claimed download job, renewed every third of <c>Recordings:LeaseDuration</c>
/// until disposed, so a long file keeps its worker. When a renewal finds the lease taken (another
/// worker claimed the job after this one stalled past the lease, or the job was deleted), <see cref="Lost"/> fires and
/// the download stops: one file is never written by two workers at once.
/// </summary>
internal sealed partial class JobLease : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _finished = new();
    private readonly Task _renewing;

    public JobLease(RecordingStore store, RecordingJob job, TimeSpan duration, TimeProvider time, ILogger logger) =>
        _renewing = RenewAsync(store, job, duration, time, logger);

    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        await _finished.CancelAsync();
        await _renewing;
        _lost.Dispose();
        _finished.Dispose();
    }

    private async Task RenewAsync(RecordingStore store, RecordingJob job, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        var finished = _finished.Token;
        while (!finished.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(duration / 3, time, finished);
                if (!await store.RenewAsync(job, time.GetUtcNow() + duration, finished))
                {
                    Log.Taken(logger, job.File.FileId);
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (finished.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Tried again at the next third; the lease has two more before it runs out.
                Log.RenewFailed(logger, ex, job.File.FileId);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId}: the lease is gone (another worker owns the job, or the job was deleted); stopping")]
        public static partial void Taken(ILogger logger, string fileId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId}: could not renew the lease; trying again")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string fileId);
    }
}
