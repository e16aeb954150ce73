using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// What this instance counted per minute since it started, for the overview's charts. Duplicates
/// and rejections are not stored anywhere, so the counts come from the receiver's own meter
/// (<see cref="ZoomWebhooksTelemetry.MeterName"/>, the numbers <c>/metrics</c> shows), read with a
/// <see cref="MeterListener"/> that listens only to the meter of this host's
/// <see cref="IMeterFactory"/> (two hosts in one process keep their own counts). A ring of
/// <see cref="Minutes"/> slots: memory stays fixed, and a restart starts it empty.
/// </summary>
internal sealed class DashboardActivity : IDisposable
{
    public const int Minutes = 180;
    private const string Requests = "zoomwebhooks.webhook.requests";
    private const string Attempts = "zoomwebhooks.dispatch.attempts";

    private readonly Slot?[] _slots = new Slot?[Minutes];
    private readonly TimeProvider _time;
    private readonly MeterListener _listener;
    private long _lastValidationTicks;

    public DashboardActivity(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        Started = time.GetUtcNow();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == ZoomWebhooksTelemetry.MeterName
                    && instrument.Name is Requests or Attempts)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public DateTimeOffset Started { get; }

    /// <summary>The last URL validation this instance answered; null before the first.</summary>
    public DateTimeOffset? LastUrlValidation =>
        Interlocked.Read(ref _lastValidationTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>The last <paramref name="minutes"/> minutes, oldest first, the current one last.</summary>
    public IReadOnlyList<MinuteCounts> Recent(int minutes)
    {
        var now = MinuteOf(_time.GetUtcNow());
        var result = new List<MinuteCounts>(minutes);
        for (var minute = now - Math.Min(minutes, Minutes) + 1; minute <= now; minute++)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(minute * 60);
            result.Add(_slots[Index(minute)] is { } slot && slot.Minute == minute ? slot.Snapshot(at) : MinuteCounts.Empty(at));
        }

        return result;
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? outcome = null;
        string? reason = null;
        foreach (var (key, tag) in tags)
        {
            if (key == "outcome")
            {
                outcome = tag as string;
            }
            else if (key == "reason")
            {
                reason = tag as string;
            }
        }

        var now = _time.GetUtcNow();
        var slot = Current(MinuteOf(now));
        if (instrument.Name == Requests)
        {
            switch (outcome)
            {
                case "accepted": Interlocked.Add(ref slot.Accepted, value); break;
                case "duplicate": Interlocked.Add(ref slot.Duplicate, value); break;
                case "validated":
                    Interlocked.Add(ref slot.Validated, value);
                    Interlocked.Exchange(ref _lastValidationTicks, now.UtcTicks);
                    break;
                case "rejected": slot.Rejected.AddOrUpdate(string.IsNullOrEmpty(reason) ? "other" : reason, value, (_, n) => n + value); break;
            }
        }
        else
        {
            switch (outcome)
            {
                case "done": Interlocked.Add(ref slot.Dispatched, value); break;
                case "retry": Interlocked.Add(ref slot.Retried, value); break;
                case "dead": Interlocked.Add(ref slot.Dead, value); break;
            }
        }
    }

    private Slot Current(long minute)
    {
        var index = Index(minute);
        while (true)
        {
            var slot = Volatile.Read(ref _slots[index]);
            if (slot is not null && slot.Minute == minute)
            {
                return slot;
            }

            var fresh = new Slot(minute);
            if (Interlocked.CompareExchange(ref _slots[index], fresh, slot) == slot)
            {
                return fresh;
            }
        }
    }

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;

    private static int Index(long minute) => (int)(minute % Minutes);

    private sealed class Slot(long minute)
    {
        public readonly long Minute = minute;
        public readonly ConcurrentDictionary<string, long> Rejected = new(StringComparer.Ordinal);
        public long Accepted;
        public long Duplicate;
        public long Validated;
        public long Dispatched;
        public long Retried;
        public long Dead;

        public MinuteCounts Snapshot(DateTimeOffset at) => new(
            at, Interlocked.Read(ref Accepted), Interlocked.Read(ref Duplicate), Interlocked.Read(ref Validated),
            new Dictionary<string, long>(Rejected, StringComparer.Ordinal), Interlocked.Read(ref Dispatched),
            Interlocked.Read(ref Retried), Interlocked.Read(ref Dead));
    }
}

/// <summary>One minute's counts; <see cref="Rejected"/> by the metric's reason.</summary>
internal sealed record MinuteCounts(
    DateTimeOffset At, long Accepted, long Duplicate, long Validated, IReadOnlyDictionary<string, long> Rejected,
    long Dispatched, long Retried, long Dead)
{
    public long RejectedTotal => Rejected.Values.Sum();

    public static MinuteCounts Empty(DateTimeOffset at) => new(at, 0, 0, 0, new Dictionary<string, long>(), 0, 0, 0);
}
