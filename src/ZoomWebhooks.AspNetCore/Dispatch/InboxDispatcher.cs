using System.Collections.Concurrent;
using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Options;
using Polly;
using ZoomWebhooks.Events;
using ZoomWebhooks.Hosting;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Metrics;

namespace ZoomWebhooks.Dispatch;

/// <summary>
/// Works through the inbox: claims due events under a lease, publishes their notifications
/// through MediatR inside the Polly pipeline, then marks each done, reschedules it with a growing
/// delay, or declares it dead after <see cref="InboxOptions.MaxAttempts"/>. The lease is renewed
/// while the batch is worked on (<see cref="BatchLease"/>). Delivery to handlers is at least once:
/// a crash between publish and completion publishes again, after a restart (SQLite) or once the
/// lease runs out (PostgreSQL).
/// </summary>
internal sealed partial class InboxDispatcher(
    IInbox inbox,
    IServiceScopeFactory scopes,
    [FromKeyedServices(InboxDispatcher.PipelineKey)] ResiliencePipeline pipeline,
    DispatchSignal signal,
    DispatcherHeartbeat heartbeat,
    ServiceMetrics metrics,
    IOptionsMonitor<InboxOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<InboxDispatcher> logger) : BackgroundService
{
    public const string PipelineKey = "zoom-publish";
    private const int MaxErrorLength = 2000;

    /// <summary>
    /// The pause before the next claim once the dispatcher has caught up (see <see cref="CaughtUp"/>).
    /// Under a steady trickle every accepted event woke the dispatcher for a claim, a fact insert
    /// and a settle of its own: three commits queued ahead of the next accept in the inbox's
    /// single writer. Waiting this long gathers the trickle into one claim. It is measured on the
    /// system clock because it only batches work. Events still go out within milliseconds, or
    /// within about <see cref="CaughtUpAge"/> for one busy meeting's live stream (issue 7).
    /// </summary>
    private static readonly TimeSpan CaughtUpPause = TimeSpan.FromMilliseconds(10);

    /// <summary>Events younger than this when claimed mean the dispatcher is keeping up with arrivals.</summary>
    private static readonly TimeSpan CaughtUpAge = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Readiness counts the loop's silence from here, as when the loop began at once: hosted
        // services that start slowly after this one are not the dispatcher hanging.
        heartbeat.Beat();
        if (!await lifetime.WaitForStartAsync(stoppingToken))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Beat();
            var settings = options.CurrentValue;
            IReadOnlyList<ClaimedEvent> batch;
            var claimedAt = time.GetUtcNow();
            try
            {
                batch = await inbox.ClaimAsync(settings.BatchSize, claimedAt, settings.LeaseDuration, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.ClaimFailed(logger, ex);
                await signal.WaitAsync(settings.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            if (batch.Count == 0)
            {
                await signal.WaitAsync(settings.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            // Every claimed event is settled (done, rescheduled, dead or released), even when
            // stopping, so none is left in 'processing' until its lease runs out. A worker hands
            // its settle to the inbox and moves on: the batch's settles then share one commit
            // instead of each worker waiting out its own fsync. All are recorded before the next
            // claim, so a meeting's next event is never claimed before its previous one is settled.
            // The lease is renewed until then, however long the handlers take.
            var settles = new ConcurrentQueue<Task>();
            await using (var lease = new BatchLease(inbox, batch, claimedAt, settings.LeaseDuration, time, logger))
            {
                using var dispatching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                await Parallel.ForEachAsync(
                    batch,
                    new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency },
                    (claimed, _) => new ValueTask(DispatchAsync(claimed, lease, settings, settles, dispatching.Token)));
                // Yield: the last settle completes on the inbox's writer thread, which must not run this loop.
                await Task.WhenAll(settles).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            }

            if (CaughtUp(batch, settings.BatchSize, claimedAt))
            {
                await Task.Delay(CaughtUpPause, TimeProvider.System, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <param name="cancellation">Fires when the service stops or the batch's lease is lost: the event is then handed back.</param>
    private async Task DispatchAsync(
        ClaimedEvent claimed, BatchLease lease, InboxOptions settings, ConcurrentQueue<Task> settles, CancellationToken cancellation)
    {
        var started = time.GetTimestamp();
        // Current for the attempt, its handlers and its log lines (the settle's continuation included).
        using var activity = DispatchTracing.Start(claimed);
        try
        {
            // A batch runs Concurrency events at a time, so its last ones start late. The renewed
            // lease covers them however late, unless renewals have been failing: an event whose
            // lease may run out is handed back instead of started, since another dispatcher may
            // take it once the lease ends and the same event must never run twice at once.
            if (cancellation.IsCancellationRequested || !lease.Holds)
            {
                settles.Enqueue(SettleAsync(claimed, activity, Outcome.Released, null));
                return;
            }

            // Claimed more often than it may be attempted: its earlier attempts never settled, so
            // each ended with its process (a stack overflow, the OOM killer, a FailFast) or its
            // lease. Running it again would take the service down once more, on every restart.
            if (claimed.Attempt > settings.MaxAttempts)
            {
                settles.Enqueue(SettleAsync(claimed, activity, Outcome.Dead, new NeverSettledException(claimed.Attempt - 1)));
                return;
            }

            IReadOnlyList<INotification> notifications;
            try
            {
                notifications = ZoomNotifications.From(claimed.Id, claimed.EventName, claimed.EventTs, claimed.Body);
            }
            catch (Exception ex)
            {
                // Building reads nothing but the stored row: whatever it throws (a FormatException
                // for a body that can never parse), it would throw again on every retry, holding
                // the meeting's later events back. Dead at once, the reason in last_error, replayable.
                settles.Enqueue(SettleAsync(claimed, activity, Outcome.Dead, ex));
                return;
            }

            var context = ResilienceContextPool.Shared.Get(cancellation);
            context.Properties.Set(PublishPipeline.InboxId, claimed.Id);
            try
            {
                await pipeline.ExecuteAsync(
                    static async (ctx, state) =>
                    {
                        await using var scope = state.scopes.CreateAsyncScope();
                        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
                        foreach (var notification in state.notifications)
                        {
                            await mediator.Publish(notification, ctx.CancellationToken);
                        }
                    },
                    context,
                    (scopes, notifications));
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            settles.Enqueue(SettleAsync(claimed, activity, Outcome.Done, null, elapsed: time.GetElapsedTime(started)));
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            settles.Enqueue(SettleAsync(claimed, activity, Outcome.Released, null));
        }
        catch (Exception ex)
        {
            var outcome = claimed.Attempt >= settings.MaxAttempts ? Outcome.Dead : Outcome.Retry;
            settles.Enqueue(SettleAsync(claimed, activity, outcome, ex, settings, time.GetElapsedTime(started)));
        }
    }

    /// <param name="activity">The attempt's span, ended by the caller; tagged here before the first await.</param>
    private async Task SettleAsync(
        ClaimedEvent claimed, Activity activity, Outcome outcome, Exception? error, InboxOptions? settings = null, TimeSpan? elapsed = null)
    {
        heartbeat.Beat();
        DispatchTracing.Ended(activity, OutcomeName(outcome), error);
        var now = time.GetUtcNow();
        metrics.DispatchAttempted(claimed.EventName, OutcomeName(outcome), elapsed, outcome == Outcome.Done ? now - claimed.ReceivedAt : null);
        var message = error is null ? null : Truncate($"{error.GetType().Name}: {error.Message}");
        try
        {
            // CancellationToken.None: recording the outcome must not be cut short by shutdown.
            var held = outcome switch
            {
                Outcome.Done => await inbox.CompleteAsync(claimed, now, CancellationToken.None),
                Outcome.Retry => await inbox.RescheduleAsync(claimed, now + RetryDelay(claimed.Attempt, settings!), message!, CancellationToken.None),
                Outcome.Dead => await inbox.MarkDeadAsync(claimed, now, message!, CancellationToken.None),
                _ => await inbox.ReleaseAsync(claimed, now, CancellationToken.None),
            };
            var meetingUuid = claimed.MeetingUuid;
            switch (outcome)
            {
                case Outcome.Dead:
                    Log.AttemptDead(logger, error, claimed.Id, claimed.EventName, meetingUuid, claimed.Attempt, OutcomeName(outcome));
                    break;
                case Outcome.Retry:
                    Log.AttemptFailed(logger, error, claimed.Id, claimed.EventName, meetingUuid, claimed.Attempt, OutcomeName(outcome));
                    break;
                default:
                    Log.Attempt(logger, claimed.Id, claimed.EventName, meetingUuid, claimed.Attempt, OutcomeName(outcome));
                    break;
            }

            if (!held)
            {
                Log.LeaseLost(logger, claimed.Id, claimed.EventName, meetingUuid, claimed.Attempt);
            }
        }
        catch (Exception ex)
        {
            // The lease runs out and the event is dispatched again: at least once, never lost.
            Log.SettleFailed(logger, ex, claimed.Id, claimed.EventName, claimed.MeetingUuid, claimed.Attempt, OutcomeName(outcome));
        }
    }

    /// <summary>
    /// A batch that was not full and held only events received moments ago: the dispatcher is
    /// level with arrivals. A short batch of older events is a backlog that per-meeting order
    /// lets out one event per meeting at a time (a 500-person class joining at once); pausing
    /// there would hold each of that meeting's events back by the pause.
    /// </summary>
    internal static bool CaughtUp(IReadOnlyList<ClaimedEvent> batch, int batchSize, DateTimeOffset claimedAt) =>
        batch.Count < batchSize && batch.All(e => claimedAt - e.ReceivedAt < CaughtUpAge);

    internal static TimeSpan RetryDelay(int attempt, InboxOptions settings)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(Math.Min(settings.RetryDelay.TotalMilliseconds * factor, settings.MaxRetryDelay.TotalMilliseconds));
        return delay;
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    private static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.Done => "done",
        Outcome.Retry => "retry",
        Outcome.Dead => "dead",
        _ => "released",
    };

    /// <summary>The reason a crash-looping event is dead, as <c>last_error</c> shows it.</summary>
    private sealed class NeverSettledException(int attempts)
        : Exception($"{attempts} attempts never settled: each ended with its process or its lease, so it is not run again.");

    private enum Outcome
    {
        Done,
        Retry,
        Dead,
        Released,
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Dispatch of inbox event {InboxId} ({ZoomEvent}, meeting {MeetingUuid}) attempt {Attempt}: {Outcome}")]
        public static partial void Attempt(ILogger logger, long inboxId, string zoomEvent, string? meetingUuid, int attempt, string outcome);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Dispatch of inbox event {InboxId} ({ZoomEvent}, meeting {MeetingUuid}) attempt {Attempt}: {Outcome}")]
        public static partial void AttemptFailed(ILogger logger, Exception? exception, long inboxId, string zoomEvent, string? meetingUuid, int attempt, string outcome);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "Dispatch of inbox event {InboxId} ({ZoomEvent}, meeting {MeetingUuid}) attempt {Attempt}: {Outcome}; it stays in the inbox for replay")]
        public static partial void AttemptDead(ILogger logger, Exception? exception, long inboxId, string zoomEvent, string? meetingUuid, int attempt, string outcome);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Inbox event {InboxId} ({ZoomEvent}, meeting {MeetingUuid}) attempt {Attempt}: the lease had expired and another dispatcher owns it")]
        public static partial void LeaseLost(ILogger logger, long inboxId, string zoomEvent, string? meetingUuid, int attempt);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "Could not record outcome {Outcome} of inbox event {InboxId} ({ZoomEvent}, meeting {MeetingUuid}) attempt {Attempt}; it will be dispatched again when its lease expires")]
        public static partial void SettleFailed(ILogger logger, Exception exception, long inboxId, string zoomEvent, string? meetingUuid, int attempt, string outcome);

        [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim events from the inbox; trying again shortly")]
        public static partial void ClaimFailed(ILogger logger, Exception exception);
    }
}
