using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZoomWebhooks;

/// <summary>
/// Zoom's webhook signature, v0: <c>x-zm-signature = "v0=" + hex(HMAC-SHA256(SecretToken, "v0:{ts}:" + body))</c>,
/// computed over the body bytes exactly as sent. One implementation, used by the service to verify
/// and by the CLI to sign, so the two cannot drift.
/// https://developers.zoom.us/docs/api/webhooks/#verify-with-zooms-header
/// </summary>
public static class ZoomSignature
{
    /// <summary>The signature header: <c>v0=</c> and the lowercase hex HMAC.</summary>
    public const string SignatureHeader = "x-zm-signature";

    /// <summary>The signed timestamp header, Unix seconds.</summary>
    public const string TimestampHeader = "x-zm-request-timestamp";

    /// <summary>Zoom's delivery id, the same on every retry of one delivery.</summary>
    public const string RequestIdHeader = "x-zm-request-id";

    /// <summary>Zoom's tracking id.</summary>
    public const string TrackingIdHeader = "x-zm-trackingid";

    /// <summary>The client ID of the app that sent the delivery.</summary>
    public const string ClientIdHeader = "clientid";

    private const string Prefix = "v0=";
    private const int HashSize = 32;
    private const int SignatureLength = 3 + (HashSize * 2);
    private const int MaxStackKey = 256;

    /// <summary>Returns <c>v0=</c> and the lowercase hex HMAC, as Zoom sends it.</summary>
    public static string Sign(string secretToken, long timestampSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        ComputeHash(secretToken, timestampSeconds, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks a delivery against every accepted Secret Token (the current one first, then those
    /// still valid during a rotation). <paramref name="matchedToken"/> is the token that verified.
    /// </summary>
    public static SignatureCheck Verify(
        string? signatureHeader,
        string? timestampHeader,
        ReadOnlySpan<byte> body,
        IReadOnlyList<string> acceptedTokens,
        DateTimeOffset now,
        TimeSpan tolerance,
        out string? matchedToken)
    {
        matchedToken = null;
        if (string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(timestampHeader))
        {
            return SignatureCheck.MissingHeaders;
        }

        if (!TryParseTimestamp(timestampHeader, out var timestamp))
        {
            return SignatureCheck.MalformedTimestamp;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        if (sent < now - tolerance || sent > now + tolerance)
        {
            return SignatureCheck.StaleTimestamp;
        }

        Span<byte> expected = stackalloc byte[HashSize];
        if (signatureHeader.Length != SignatureLength
            || !signatureHeader.StartsWith(Prefix, StringComparison.Ordinal)
            || Convert.FromHexString(signatureHeader.AsSpan(Prefix.Length), expected, out _, out var written) != OperationStatus.Done
            || written != HashSize)
        {
            return SignatureCheck.MalformedSignature;
        }

        Span<byte> actual = stackalloc byte[HashSize];
        // An index, not foreach: an interface's enumerator is a heap allocation per request.
        for (var i = 0; i < acceptedTokens.Count; i++)
        {
            var token = acceptedTokens[i];
            ComputeHash(token, timestamp, body, actual);
            if (CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                matchedToken = token;
                return SignatureCheck.Valid;
            }
        }

        return SignatureCheck.Mismatch;
    }

    /// <summary>
    /// The <c>encryptedToken</c> of a URL-validation answer: lowercase hex HMAC-SHA256 of the
    /// plainToken under the Secret Token.
    /// </summary>
    public static string EncryptToken(string secretToken, string plainToken)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretToken), Encoding.UTF8.GetBytes(plainToken), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whole seconds since the Unix epoch, digits only (no sign, no fraction, no spaces).</summary>
    public static bool TryParseTimestamp(string value, out long seconds) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)
        && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>
    /// HMAC over <c>"v0:{ts}:" + body</c> without a heap allocation per call: the prefix and the
    /// key are encoded on the stack, and the one-shot HMAC's contiguous input comes from the pool.
    /// </summary>
    private static void ComputeHash(string secretToken, long timestampSeconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        // "v0:" + up to 20 characters of a long + ":".
        Span<byte> prefix = stackalloc byte[24];
        "v0:"u8.CopyTo(prefix);
        timestampSeconds.TryFormat(prefix[3..], out var digits, default, CultureInfo.InvariantCulture);
        prefix[3 + digits] = (byte)':';
        prefix = prefix[..(4 + digits)];

        var keyLength = Encoding.UTF8.GetByteCount(secretToken);
        byte[]? rentedKey = null;
        var key = keyLength <= MaxStackKey ? stackalloc byte[MaxStackKey] : (rentedKey = ArrayPool<byte>.Shared.Rent(keyLength));
        key = key[..Encoding.UTF8.GetBytes(secretToken, key)];
        var length = prefix.Length + body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(buffer);
            body.CopyTo(buffer.AsSpan(prefix.Length));
            HMACSHA256.HashData(key, buffer.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            CryptographicOperations.ZeroMemory(key);
            if (rentedKey is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedKey);
            }
        }
    }
}
