using System.Globalization;

namespace ZoomWebhooks.Cli.Delivery;

/// <summary>
/// The headers Zoom sends with a delivery, signed by the shared <see cref="ZoomSignature"/> over the
/// exact body bytes. <c>send</c> puts them on a request and <c>sign</c> prints them, so both agree.
/// </summary>
public static class SignedHeaders
{
    public const string ContentType = "application/json; charset=utf-8";
    public const string UserAgent = "zoomhook/1.0 (ZoomWebhooks developer CLI)";

    public static IReadOnlyList<KeyValuePair<string, string>> For(string secretToken, DateTimeOffset now, ReadOnlySpan<byte> body, string requestId)
    {
        var timestamp = now.ToUnixTimeSeconds();
        return
        [
            new(ZoomSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(ZoomSignature.SignatureHeader, ZoomSignature.Sign(secretToken, timestamp, body)),
            new(ZoomSignature.RequestIdHeader, requestId),
        ];
    }

    public static string NewRequestId() => Guid.NewGuid().ToString();
}
