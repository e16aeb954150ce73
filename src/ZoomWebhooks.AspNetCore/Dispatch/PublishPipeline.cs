using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Dispatch;

/// <summary>
/// Polly around one publish: a per-attempt timeout inside a retry with exponential backoff and
/// jitter. These are quick retries for brief faults; when they give up, the dispatcher
/// reschedules the event in the inbox with a longer, growing delay.
/// </summary>
internal static partial class PublishPipeline
{
    public static readonly ResiliencePropertyKey<long> InboxId = new("ZoomWebhooks.InboxId");

    public static ResiliencePipeline Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<InboxOptions>>().Value.Publish;
        var logger = services.GetRequiredService<ILogger<InboxDispatcher>>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = services.GetRequiredService<TimeProvider>() };
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Any failure is worth a quick retry (an HttpClient timeout included), except a
                // cancellation because the service is stopping: that event is released instead.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                OnRetry = args =>
                {
                    Log.PublishRetry(logger, args.Context.Properties.GetValue(InboxId, 0), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.GetType().Name);
                    return default;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Inbox event {InboxId}: publish try {Try} failed ({ErrorType}); retrying in {DelayMs:0} ms")]
        public static partial void PublishRetry(ILogger logger, long inboxId, int @try, double delayMs, string? errorType);
    }
}
