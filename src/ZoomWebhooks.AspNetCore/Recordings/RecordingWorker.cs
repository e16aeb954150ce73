using MediatR;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Hosting;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Works through the download jobs, at most <c>Recordings:Concurrency</c> at a time: claims due
/// ones under a lease (renewed every third of it while the download runs, so a long file keeps
/// it and a crashed worker's job is taken over once it runs out), downloads to
/// <c>{file}.part</c>, renames into place, then publishes <see cref="RecordingFileDownloaded"/>.
/// A job is <c>downloaded</c> between the rename and the end of that publish, so a crash there
/// publishes again (at least once) but never downloads again: a file found under its final name
/// with Zoom's <c>file_size</c> was put there by a finished download.
/// </summary>
internal sealed partial class RecordingWorker(
    RecordingStore store,
    RecordingDownloader downloader,
    RecordingSignal signal,
    RecordingMetrics metrics,
    IServiceScopeFactory scopes,
    IOptionsMonitor<RecordingsOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<RecordingWorker> logger) : BackgroundService
{
    private const int MaxErrorLength = 2000;
    private static readonly TimeSpan MaxAttemptDelay = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Enabled)
        {
            Log.Off(logger);
            return;
        }

        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        Log.On(logger, Path.GetFullPath(options.CurrentValue.Path!), options.CurrentValue.Concurrency);
        metrics.Start();
        try
        {
            if (await store.TakeBackLeasesAsync(stoppingToken) is > 0 and var taken)
            {
                Log.TakenBack(logger, taken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Their leases run out instead.
            Log.ClaimFailed(logger, ex);
        }

        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.CurrentValue;
            running.RemoveAll(t => t.IsCompleted);
            var free = settings.Concurrency - running.Count;
            if (free > 0)
            {
                try
                {
                    foreach (var job in await store.ClaimAsync(free, time.GetUtcNow(), settings.LeaseDuration, stoppingToken))
                    {
                        running.Add(RunAsync(job, settings, stoppingToken));
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.ClaimFailed(logger, ex);
                }
            }

            // A finished job wakes the loop through the signal, as a newly queued one does.
            await signal.WaitAsync(settings.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(RecordingJob job, RecordingsOptions settings, CancellationToken stoppingToken)
    {
        await Task.Yield();
        await using var lease = new JobLease(store, job, settings.LeaseDuration, time, logger);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        try
        {
            await WorkAsync(job, settings, working.Token);
        }
        catch (OperationCanceledException) when (working.IsCancellationRequested)
        {
            // Stopping, or the lease is gone: the .part file stays, and the next owner resumes it.
            await Settle(job, RecordingOutcome.Released, () => store.ReleaseAsync(job, time.GetUtcNow(), CancellationToken.None));
        }
        catch (Exception ex)
        {
            await RetryOrFailAsync(job, job.Status == RecordingStatus.Downloaded ? RecordingStatus.Downloaded : RecordingStatus.Pending,
                $"{ex.GetType().Name}: {ex.Message}", settings);
        }
        finally
        {
            signal.Notify();
        }
    }

    private async Task WorkAsync(RecordingJob job, RecordingsOptions settings, CancellationToken cancellationToken)
    {
        var file = job.File;
        if (job.Attempts > settings.MaxAttempts)
        {
            // Each earlier attempt ended with its process (the OOM killer, a kill -9 loop): stop here.
            await FailAsync(job, $"{job.Attempts - 1} attempts never finished: each ended with its process or its lease.");
            return;
        }

        var destination = RecordingPaths.Full(settings.Path!, file.Path);
        var bytes = job.Bytes ?? 0;
        if (job.Status != RecordingStatus.Downloaded || !InPlace(destination, file.FileSize ?? job.Bytes))
        {
            if (InPlace(destination, file.FileSize))
            {
                // Renamed into place by a worker that ended before it could say so.
                bytes = new FileInfo(destination).Length;
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                var temp = destination + RecordingPaths.PartSuffix;
                var outcome = await downloader.DownloadAsync(job, temp, cancellationToken);
                switch (outcome.Result)
                {
                    case DownloadResult.Retry:
                        await RetryOrFailAsync(job, RecordingStatus.Pending, outcome.Error!, settings);
                        return;
                    case DownloadResult.Failed:
                        await FailAsync(job, outcome.Error!);
                        return;
                }

                File.Move(temp, destination, overwrite: true);
                bytes = outcome.Bytes;
                metrics.Downloaded(bytes);
            }

            if (!await store.MarkDownloadedAsync(job, bytes, CancellationToken.None))
            {
                await LostAsync(job);
                return;
            }

            Log.Downloaded(logger, file.FileId, file.FileType, bytes, file.Path);
        }

        await PublishAsync(job with { Status = RecordingStatus.Downloaded, Bytes = bytes }, destination, settings, cancellationToken);
    }

    private async Task PublishAsync(RecordingJob job, string destination, RecordingsOptions settings, CancellationToken cancellationToken)
    {
        var file = job.File;
        var notification = new RecordingFileDownloaded(file.FileId, destination, file.FileType, file.RecordingType, job.Bytes ?? 0, file.AccountId, file.Meeting);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMediator>().Publish(notification, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The file stays in place; only the handlers run again.
            await RetryOrFailAsync(job, RecordingStatus.Downloaded, $"A RecordingFileDownloaded handler failed: {ex.GetType().Name}: {ex.Message}", settings);
            return;
        }

        await Settle(job, RecordingOutcome.Done, () => store.CompleteAsync(job, time.GetUtcNow(), CancellationToken.None));
        Log.Done(logger, file.FileId, job.Attempts);
    }

    private static bool InPlace(string destination, long? size) =>
        size is { } expected && File.Exists(destination) && new FileInfo(destination).Length == expected;

    private async Task RetryOrFailAsync(RecordingJob job, string status, string error, RecordingsOptions settings)
    {
        if (job.Attempts >= settings.MaxAttempts)
        {
            await FailAsync(job, $"{error} (after {job.Attempts} attempts)");
            return;
        }

        var delay = settings.AttemptDelay * Math.Pow(2, Math.Clamp(job.Attempts - 1, 0, 20));
        var at = time.GetUtcNow() + (delay < MaxAttemptDelay ? delay : MaxAttemptDelay);
        Log.Retrying(logger, job.File.FileId, job.Attempts, Truncate(error), at);
        await Settle(job, RecordingOutcome.Retry, () => store.RescheduleAsync(job, status, at, Truncate(error), CancellationToken.None));
    }

    private async Task FailAsync(RecordingJob job, string error)
    {
        Log.Failed(logger, job.File.FileId, job.Attempts, Truncate(error));
        await Settle(job, RecordingOutcome.Failed, () => store.FailAsync(job, time.GetUtcNow(), Truncate(error), CancellationToken.None));
    }

    private async Task Settle(RecordingJob job, string outcome, Func<Task<bool>> settle)
    {
        try
        {
            if (await settle())
            {
                metrics.Attempted(outcome);
            }
            else
            {
                await LostAsync(job);
            }
        }
        catch (Exception ex)
        {
            // The lease runs out and the job is taken again: at least once, never lost.
            Log.SettleFailed(logger, ex, job.File.FileId);
        }
    }

    /// <summary>
    /// The job's row no longer takes this worker's word: another worker took it over (its lease
    /// ran out), or it was deleted (<see cref="ForgetHostedRecordings"/>), and then what this
    /// worker wrote is removed, since nobody else will.
    /// </summary>
    private async Task LostAsync(RecordingJob job)
    {
        if (await store.FindAsync(job.File.FileId, CancellationToken.None) is not null)
        {
            metrics.Attempted(RecordingOutcome.Lost);
            Log.LeaseLost(logger, job.File.FileId);
            return;
        }

        try
        {
            RecordingPaths.Remove(options.CurrentValue.Path!, job.File.Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Nobody else will try: the job is gone.
            Log.NotRemoved(logger, ex, job.File.FileId);
            return;
        }

        metrics.Attempted(RecordingOutcome.Deleted);
        Log.Deleted(logger, job.File.FileId);
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Recordings are off: set Recordings:Path to download the files of recording events")]
        public static partial void Off(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Recordings are downloaded to {RecordingsPath}, {Concurrency} at a time")]
        public static partial void On(ILogger logger, string recordingsPath, int concurrency);

        [LoggerMessage(Level = LogLevel.Information, Message = "Recording file {FileId} ({FileType}, {Bytes} bytes) is in place at {RecordingPath}")]
        public static partial void Downloaded(ILogger logger, string fileId, string? fileType, long bytes, string recordingPath);

        [LoggerMessage(Level = LogLevel.Information, Message = "Recording file {FileId}: done (attempt {Attempt})")]
        public static partial void Done(ILogger logger, string fileId, int attempt);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId} attempt {Attempt}: {Reason}; next attempt at {NextAttemptAt}")]
        public static partial void Retrying(ILogger logger, string fileId, int attempt, string reason, DateTimeOffset nextAttemptAt);

        [LoggerMessage(Level = LogLevel.Error, Message = "Recording file {FileId} attempt {Attempt}: failed: {Reason}. Retry it through /api/recordings once the cause is fixed")]
        public static partial void Failed(ILogger logger, string fileId, int attempt, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Count} recording downloads left unfinished by the previous process are resumed")]
        public static partial void TakenBack(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId}: the lease ran out and another worker owns the job")]
        public static partial void LeaseLost(ILogger logger, string fileId);

        [LoggerMessage(Level = LogLevel.Information, Message = "Recording file {FileId}: its job was deleted while this worker held it (the app was deauthorized); what it wrote is removed")]
        public static partial void Deleted(ILogger logger, string fileId);

        [LoggerMessage(Level = LogLevel.Error, Message = "Recording file {FileId}: its job was deleted (the app was deauthorized), but what this worker wrote could not be removed; delete it by hand")]
        public static partial void NotRemoved(ILogger logger, Exception exception, string fileId);

        [LoggerMessage(Level = LogLevel.Error, Message = "Recording file {FileId}: could not record the outcome; the job is taken again when its lease runs out")]
        public static partial void SettleFailed(ILogger logger, Exception exception, string fileId);

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim recording jobs; trying again shortly")]
        public static partial void ClaimFailed(ILogger logger, Exception exception);
    }
}
