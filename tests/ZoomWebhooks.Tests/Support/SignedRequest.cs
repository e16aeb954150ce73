using System.Globalization;
using System.Net.Http.Headers;

namespace ZoomWebhooks.Tests.Support;

/// <summary>A delivery signed exactly as Zoom signs one: HMAC over the raw bytes, the timestamp in seconds.</summary>
public static class SignedRequest
{
    public const string Path = "/webhooks/zoom";

    public static HttpRequestMessage Create(
        byte[] body,
        string secret,
        long timestamp,
        string? requestId = null,
        IDictionary<string, string>? headers = null,
        string path = Path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        request.Headers.Add(ZoomSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(ZoomSignature.SignatureHeader, ZoomSignature.Sign(secret, timestamp, body));
        request.Headers.Add(ZoomSignature.RequestIdHeader, requestId ?? Guid.NewGuid().ToString());
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
