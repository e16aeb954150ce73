using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZoomWebhooks.Signing;

/// <summary>
/// Zoom's webhook signature, v0: <c>x-zm-signature = "v0=" + hex(HMAC-SHA256(SecretToken, "v0:{ts}:" + body))</c>,
/// computed over the body bytes exactly as sent. One implementation, used by the service to verify
/// and by the CLI to sign, so the two cannot drift.
/// https://developers.zoom.us/docs/api/webhooks/#verify-with-zooms-header
/// </summary>
public static class ZoomSignature
{
    public const string SignatureHeader = "x-zm-signature";
    public const string TimestampHeader = "x-zm-request-timestamp";
    public const string RequestIdHeader = "x-zm-request-id";
    public const string TrackingIdHeader = "x-zm-trackingid";
    public const string ClientIdHeader = "clientid";

    private const string Prefix = "v0=";
    private const int HashSize = 32;
    private const int SignatureLength = 3 + (HashSize * 2);

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
        foreach (var token in acceptedTokens)
        {
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

    private static void ComputeHash(string secretToken, long timestampSeconds, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var prefix = $"v0:{timestampSeconds.ToString(CultureInfo.InvariantCulture)}:";
        var length = Encoding.ASCII.GetByteCount(prefix) + body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.ASCII.GetBytes(prefix, buffer);
            body.CopyTo(buffer.AsSpan(written));
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretToken), buffer.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
