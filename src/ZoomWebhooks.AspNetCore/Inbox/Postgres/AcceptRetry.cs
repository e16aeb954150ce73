using Npgsql;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ZoomWebhooks.Inbox.Postgres;

/// <summary>
/// Brief retries of a transient database failure while storing a delivery: a failover, a dropped
/// pooled connection, a lock wait that timed out. Zoom allows 3 seconds for the answer; the whole
/// store, retries included, gets <see cref="Budget"/> of them, leaving the rest for the network
/// and the signature check. Past that the endpoint answers 503 and Zoom retries later.
/// https://developers.zoom.us/docs/api/webhooks/#notification-delivery
/// </summary>
internal static partial class AcceptRetry
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    public const int MaxRetries = 4;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);

    public static ResiliencePipeline Create(TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(Budget)
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                Delay = FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                OnRetry = args =>
                {
                    Log.AcceptRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .Build();

    /// <summary>Failures worth one more try; a constraint or syntax error is not one of them.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        // Npgsql's own list covers connection loss, serialization failures, deadlocks and
        // "cannot connect now"; a lock wait cut off by lock_timeout is as passing.
        PostgresException postgres => postgres.IsTransient || postgres.SqlState == PostgresErrorCodes.LockNotAvailable,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutRejectedException => false,
        TimeoutException => true,
        _ => false,
    };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Storing a delivery in the PostgreSQL inbox failed with a transient error; try {Try} follows in {DelayMs:0} ms")]
        public static partial void AcceptRetry(ILogger logger, Exception? exception, int @try, double delayMs);
    }
}
