using Microsoft.Extensions.Options;
using ZoomWebhooks.Hosting;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// Deletes done events older than <see cref="InboxOptions.Retention"/>, at start and then every
/// <see cref="InboxOptions.RetentionInterval"/>. Dead events stay until replayed or purged.
/// </summary>
internal sealed partial class InboxRetention(
    IInbox inbox,
    IOptionsMonitor<InboxOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<InboxRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        using var timer = new PeriodicTimer(options.CurrentValue.RetentionInterval, time);
        try
        {
            do
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task DeleteExpiredAsync(CancellationToken stoppingToken)
    {
        var retention = options.CurrentValue.Retention;
        try
        {
            var deleted = await inbox.DeleteAsync(InboxStatus.Done, time.GetUtcNow() - retention, stoppingToken);
            Log.Deleted(logger, deleted, retention);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            Log.Failed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} done events older than {Retention}")]
        public static partial void Deleted(ILogger logger, int count, TimeSpan retention);

        [LoggerMessage(Level = LogLevel.Error, Message = "Retention could not delete old events; trying again at the next interval")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
