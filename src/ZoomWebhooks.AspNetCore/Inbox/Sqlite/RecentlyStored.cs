namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// The dedup keys of the last <see cref="Capacity"/> deliveries the writer saw committed (stored,
/// or found already stored), so that a repeat of one is answered without a turn in the group
/// commit. Zoom retries whatever it did not see answered in 3 seconds, and an app with several
/// subscriptions gets the same body more than once; before this, each such repeat waited out
/// another batch's fsync to learn it was a duplicate (issue 7). A key is added only after the
/// commit that stored it returned, so a hit is an event on disk and answering 200 is safe. A
/// miss proves nothing (an older event, one stored before a restart, one in the commit under
/// way): the writer's <c>ON CONFLICT DO NOTHING</c> stays the judge.
/// </summary>
/// <remarks>
/// It replaced a lookup on a read connection before every accept, which found repeats of any
/// age but cost every new event a read transaction and two index probes: a fifth of the CPU of
/// an accept (issue 15). Request ids and body hashes are kept apart, so neither can stand for
/// the other.
/// </remarks>
internal sealed class RecentlyStored(int capacity = RecentlyStored.Capacity)
{
    /// <summary>About 5 MB of keys: minutes of Zoom's traffic for a busy account, hours for most.</summary>
    public const int Capacity = 16_384;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _bodies = new(capacity, StringComparer.Ordinal);
    private readonly HashSet<string> _requestIds = new(capacity, StringComparer.Ordinal);
    private readonly (string? Body, string? RequestId)[] _ring = new (string?, string?)[capacity];
    private int _next;

    public bool Contains(IncomingEvent incoming)
    {
        lock (_lock)
        {
            return _bodies.Contains(incoming.BodyHash) || incoming.RequestId is { } id && _requestIds.Contains(id);
        }
    }

    /// <summary>Remembers a committed delivery, forgetting the oldest once full.</summary>
    public void Add(IncomingEvent incoming)
    {
        lock (_lock)
        {
            // A key already remembered keeps its older place: a second entry would forget it
            // when the first is overwritten.
            var body = _bodies.Add(incoming.BodyHash) ? incoming.BodyHash : null;
            var id = incoming.RequestId is { } requestId && _requestIds.Add(requestId) ? requestId : null;
            if (body is null && id is null)
            {
                return;
            }

            ref var slot = ref _ring[_next];
            if (slot.Body is { } oldBody)
            {
                _bodies.Remove(oldBody);
            }

            if (slot.RequestId is { } oldId)
            {
                _requestIds.Remove(oldId);
            }

            slot = (body, id);
            _next = (_next + 1) % _ring.Length;
        }
    }
}
