namespace ZoomWebhooks.Dispatch;

/// <summary>
/// When the dispatcher loop last showed signs of life. Readiness fails when it is older than a
/// lease plus a few polls: a loop that died or hangs leaves events piling up unseen.
/// </summary>
internal sealed class DispatcherHeartbeat(TimeProvider time)
{
    private long _lastBeatTicks = time.GetUtcNow().UtcTicks;

    public DateTimeOffset LastBeat => new(Interlocked.Read(ref _lastBeatTicks), TimeSpan.Zero);

    public void Beat() => Interlocked.Exchange(ref _lastBeatTicks, time.GetUtcNow().UtcTicks);
}
