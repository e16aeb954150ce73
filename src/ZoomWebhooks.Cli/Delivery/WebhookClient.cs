using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ZoomWebhooks.Cli.Delivery;

/// <summary>Posts bodies to the receiver as Zoom does, and times the answer.</summary>
public sealed class WebhookClient(Uri url, TimeProvider time) : IDisposable
{
    // Zoom gives up after 3 seconds; waiting longer only tells how late the answer was.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(15) };

    public Uri Url => url;

    /// <summary>Posts <paramref name="body"/> signed with <paramref name="secretToken"/>, or unsigned when it is null.</summary>
    public async Task<DeliveryResult> PostAsync(byte[] body, string? secretToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(SignedHeaders.ContentType);
        request.Headers.UserAgent.ParseAdd(SignedHeaders.UserAgent);
        if (secretToken is not null)
        {
            foreach (var (name, value) in SignedHeaders.For(secretToken, time.GetUtcNow(), body, SignedHeaders.NewRequestId()))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var started = time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new DeliveryResult((int)response.StatusCode, text, time.GetElapsedTime(started), null);
        }
        catch (HttpRequestException ex)
        {
            var why = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
            return new DeliveryResult(null, "", time.GetElapsedTime(started), $"unreachable ({why})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(null, "", time.GetElapsedTime(started), $"no answer in {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The line to print when the receiver cannot be reached at all.</summary>
    public string Unreachable(DeliveryResult result) =>
        $"Could not reach {url}: {result.Failure}. Is the service running? Start it with `dotnet run --project src/ZoomWebhooks`, or pass --url.";

    public void Dispose() => _http.Dispose();
}
