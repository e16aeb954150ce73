using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Dispatch;

/// <summary>
/// The lease on one claimed batch, kept alive while the dispatcher works on it: every third of
/// <see cref="InboxOptions.LeaseDuration"/> it is renewed for the events still held
/// (<see cref="IInbox.RenewAsync"/>). So a handler may run longer than the lease, and the lease can
/// be short: a crashed instance's events go to another one within about one lease (issue 13).
/// Should renewals fail until less than a sixth of the lease is left (the store unreachable, the
/// process stalled), <see cref="Lost"/> fires: the batch's dispatches are cancelled and its events
/// handed back before another dispatcher may claim them, since one event must never run twice at
/// once. The sixth leaves room for a handler to stop and for clocks that differ a little. Renewal
/// goes on, best effort, until the batch is settled.
/// </summary>
internal sealed partial class BatchLease : IAsyncDisposable
{
    private readonly IInbox _inbox;
    private readonly string[] _tokens;
    private readonly int _count;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _finished = new();
    private readonly CancellationTokenRegistration _onLost;
    private readonly Task _renewing;
    private long _safeUntilTicks;

    public BatchLease(IInbox inbox, IReadOnlyList<ClaimedEvent> batch, DateTimeOffset claimedAt, TimeSpan duration, TimeProvider time, ILogger logger)
    {
        _inbox = inbox;
        _tokens = [.. batch.Select(e => e.LeaseToken).Distinct()];
        _count = batch.Count;
        _duration = duration;
        _time = time;
        _logger = logger;
        var safeUntil = SafeEnd(claimedAt + duration);
        _safeUntilTicks = safeUntil.UtcTicks;
        _lost = new CancellationTokenSource(Remaining(safeUntil), time);
        _onLost = _lost.Token.UnsafeRegister(static state => ((BatchLease)state!).ReportLost(), this);
        _renewing = RenewAsync();
    }

    /// <summary>Fires when the lease can no longer be counted on: stop and hand the events back.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Whether an event of the batch may start now: the lease surely holds for a while yet.</summary>
    public bool Holds => !_lost.IsCancellationRequested && _time.GetUtcNow().UtcTicks < Interlocked.Read(ref _safeUntilTicks);

    /// <summary>Stops renewing (the batch is settled); an expired or lost lease has nothing left to stop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _finished.CancelAsync();
        await _renewing;
        await _onLost.DisposeAsync();
        _lost.Dispose();
        _finished.Dispose();
    }

    private DateTimeOffset SafeEnd(DateTimeOffset leaseUntil) => leaseUntil - (_duration / 6);

    private TimeSpan Remaining(DateTimeOffset until)
    {
        var left = until - _time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task RenewAsync()
    {
        var interval = _duration / 3;
        // Until the batch is settled, not only until Lost: a handler that ignores its cancellation
        // is still running, and while the store answers, its renewed lease keeps another
        // dispatcher from claiming its event (rows already handed back no longer hold the token).
        while (!_finished.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, _finished.Token);

                // The new end is reckoned from before the round trip, so it is never later than the store's.
                var leaseUntil = _time.GetUtcNow() + _duration;
                foreach (var token in _tokens)
                {
                    await _inbox.RenewAsync(token, leaseUntil, _finished.Token);
                }

                var safeUntil = SafeEnd(leaseUntil);
                Interlocked.Exchange(ref _safeUntilTicks, safeUntil.UtcTicks);
                // Moves the deadline (the timer of this TimeProvider); a no-op once it has fired.
                _lost.CancelAfter(Remaining(safeUntil));
            }
            catch (OperationCanceledException) when (_finished.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Tried again at the next interval; the lease has two more before it is given up.
                Log.RenewFailed(_logger, ex, _count);
            }
        }
    }

    private void ReportLost()
    {
        if (!_finished.IsCancellationRequested)
        {
            Log.LeaseAtRisk(_logger, _count);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of {Count} claimed inbox events; trying again")]
        public static partial void RenewFailed(ILogger logger, Exception exception, int count);

        [LoggerMessage(Level = LogLevel.Error,
            Message = "The lease of {Count} claimed inbox events could not be renewed in time; their dispatch is stopped and they are handed back")]
        public static partial void LeaseAtRisk(ILogger logger, int count);
    }
}
