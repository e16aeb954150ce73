using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ZoomWebhooks.Inbox;

/// <summary>
/// A verified delivery on its way into the inbox. Zoom's retries carry the same
/// <c>x-zm-request-id</c> and a byte-identical body but a fresh timestamp and signature, so the
/// request id and the body's SHA-256 are the dedup keys; the signature never is.
/// </summary>
internal sealed record IncomingEvent(
    byte[] Body,
    string BodyHash,
    string EventName,
    long EventTs,
    string? MeetingUuid,
    string? RequestId,
    string? TrackingId,
    DateTimeOffset ReceivedAt,
    string? TraceParent = null,
    string Transport = IncomingEvent.Webhook)
{
    /// <summary>
    /// The events this one is dispatched in order with (<see cref="OrderingKeys"/>); null: none.
    /// Unless set, the meeting's uuid, the order of <see cref="InboxOrdering.Meeting"/>.
    /// </summary>
    public string? OrderingKey { get; init; } = MeetingUuid;

    /// <summary>
    /// SQLite's dedup key (<see cref="Sqlite.SqliteSchema.DedupKey"/>): the body's own
    /// <c>event_ts</c> (0 when it has none), 8 bytes big-endian, then the body's SHA-256. Two
    /// deliveries have the same key exactly when their bodies are byte-identical, as with the hash
    /// alone, but a new key sorts after the keys of recent events instead of at a random place.
    /// </summary>
    public required byte[] DedupKey { get; init; }

    /// <summary>
    /// The request id's dedup key (<see cref="Sqlite.SqliteSchema.RequestKey"/>): the same 8 bytes
    /// of the body's <c>event_ts</c> as <see cref="DedupKey"/>, then the id's UTF-8; null without
    /// an id. Zoom's retry of a delivery repeats its id and its byte-identical body, so it repeats
    /// this key. Led by the event's time, a new key lands beside recent ones in the index instead
    /// of at a random place: a Zoom request id is a random GUID.
    /// </summary>
    public byte[]? RequestKey => RequestKeyOf(DedupKey.AsSpan(0, 8), RequestId);

    /// <summary><see cref="RequestKey"/> of a stored event, from its body's <c>event_ts</c> (null: none).</summary>
    public static byte[]? RequestKeyOf(long? bodyEventTs, string? requestId)
    {
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, bodyEventTs ?? 0);
        return RequestKeyOf(time, requestId);
    }

    /// <summary>One rule for both: a blank id is none, as <see cref="Create"/> stores it.</summary>
    private static byte[]? RequestKeyOf(ReadOnlySpan<byte> time, string? requestId)
    {
        if (string.IsNullOrWhiteSpace(requestId))
        {
            return null;
        }

        var key = new byte[8 + Encoding.UTF8.GetByteCount(requestId)];
        time.CopyTo(key);
        Encoding.UTF8.GetBytes(requestId, key.AsSpan(8));
        return key;
    }

    /// <summary>The <c>transport</c> of an event Zoom posted; the column's default.</summary>
    public const string Webhook = "webhook";

    /// <summary>The <c>transport</c> of an event read from a WebSocket event subscription.</summary>
    public const string WebSocket = "websocket";

    /// <param name="eventTs">The body's <c>event_ts</c>; without one, the event is ordered by <paramref name="receivedAt"/>.</param>
    public static IncomingEvent Create(
        byte[] body,
        string eventName,
        long? eventTs,
        string? meetingUuid,
        string? requestId,
        string? trackingId,
        DateTimeOffset receivedAt,
        string? traceParent = null,
        string transport = Webhook)
    {
        var key = new byte[8 + SHA256.HashSizeInBytes];
        BinaryPrimitives.WriteInt64BigEndian(key, eventTs ?? 0);
        SHA256.HashData(body, key.AsSpan(8));
        return new(body, Convert.ToHexStringLower(key.AsSpan(8)), eventName, eventTs ?? receivedAt.ToUnixTimeMilliseconds(), meetingUuid,
            string.IsNullOrWhiteSpace(requestId) ? null : requestId,
            string.IsNullOrWhiteSpace(trackingId) ? null : trackingId,
            receivedAt,
            traceParent,
            transport)
        {
            DedupKey = key,
        };
    }
}
