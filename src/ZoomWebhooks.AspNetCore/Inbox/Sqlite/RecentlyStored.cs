using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// The dedup keys of the last <see cref="Capacity"/> deliveries the writer stored, so that a
/// repeat of one is answered without a turn in the group commit. Zoom retries whatever it did not
/// see answered in 3 seconds, and an app with several subscriptions gets the same body more than
/// once; before this, each such repeat waited out another batch's fsync to learn it was a
/// duplicate (issue 7). A delivery is added only after the commit that stored it returned, and
/// all is forgotten when inbox rows are deleted, so a hit is an event on disk and answering 200 is
/// safe. A miss proves nothing (an older event, one stored before a restart, one in the commit
/// under way): the writer's <c>ON CONFLICT DO NOTHING</c> stays the judge.
/// </summary>
/// <remarks>
/// It replaced a lookup on a read connection before every accept, which found repeats of any
/// age but cost every new event a read transaction and two index probes: a fifth of the CPU of
/// an accept (issue 15). A key is kept as the first 128 bits of a SHA-256 (the body's, and the
/// request key's apart from it, so neither can stand for the other): no object per entry for the
/// garbage collector, about 100 bytes a delivery in all, and two different deliveries would need a
/// 128-bit collision of SHA-256 to be taken for each other.
/// </remarks>
internal sealed class RecentlyStored(int capacity = RecentlyStored.Capacity)
{
    /// <summary>About 7 MB: over ten seconds at this machine's full accept rate, hours of most accounts' traffic.</summary>
    public const int Capacity = 65_536;

    private readonly Lock _lock = new();
    private readonly HashSet<UInt128> _bodies = new(capacity);
    private readonly HashSet<UInt128> _requestKeys = new(capacity);
    // A request key hash of 0 stands for none (a real one is 0 once in 2^128: it is then not remembered).
    private readonly (UInt128 Body, UInt128 Request)[] _ring = new (UInt128, UInt128)[capacity];
    private int _count;
    private int _next;

    public bool Contains(Keys keys)
    {
        var (body, request) = keys;
        lock (_lock)
        {
            return _bodies.Contains(body) || request != 0 && _requestKeys.Contains(request);
        }
    }

    /// <summary>Remembers a delivery just stored, forgetting the oldest once full.</summary>
    public void Add(Keys keys)
    {
        var (body, request) = keys;
        lock (_lock)
        {
            // A delivery already remembered keeps its older place: a second entry would forget
            // its keys when the first is overwritten.
            if (_bodies.Contains(body) && (request == 0 || _requestKeys.Contains(request)))
            {
                return;
            }

            if (_count == _ring.Length)
            {
                var (oldBody, oldRequest) = _ring[_next];
                _bodies.Remove(oldBody);
                _requestKeys.Remove(oldRequest);
            }
            else
            {
                _count++;
            }

            _bodies.Add(body);
            if (request != 0)
            {
                _requestKeys.Add(request);
            }

            _ring[_next] = (body, request);
            _next = (_next + 1) % _ring.Length;
        }
    }

    /// <summary>Forgets everything (the rows behind some keys were deleted).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _bodies.Clear();
            _requestKeys.Clear();
            Array.Clear(_ring);
            (_count, _next) = (0, 0);
        }
    }

    /// <summary>A delivery's two keys, worked out once for its lookup and, once stored, its entry.</summary>
    /// <param name="Body">The dedup key's hash, after its 8 bytes of event_ts (<see cref="IncomingEvent.DedupKey"/>).</param>
    /// <param name="Request">The SHA-256 of the request key (<see cref="IncomingEvent.RequestKey"/>), the unique index's own rule; 0 without one.</param>
    public readonly record struct Keys(UInt128 Body, UInt128 Request)
    {
        public static Keys Of(IncomingEvent incoming) =>
            new(BinaryPrimitives.ReadUInt128BigEndian(incoming.DedupKey.AsSpan(8)), RequestKeyHash(incoming.RequestKey));

        private static UInt128 RequestKeyHash(byte[]? key)
        {
            if (key is null)
            {
                return 0;
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(key, hash);
            return BinaryPrimitives.ReadUInt128BigEndian(hash);
        }
    }
}
