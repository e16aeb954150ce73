using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace ZoomWebhooks.Cli.Events;

/// <summary>Calls the service's admin API (<c>/admin/events</c>) with the bearer <c>Admin:ApiKey</c>.</summary>
public sealed class AdminClient(Uri baseUrl, string key) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(15),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    /// <summary>The answer's JSON, or null after writing to <paramref name="error"/> why there is none.</summary>
    public async Task<JsonElement?> SendAsync(HttpMethod method, string pathAndQuery, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(new HttpRequestMessage(method, new Uri(pathAndQuery, UriKind.Relative)), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            await error.WriteLineAsync((int)response.StatusCode switch
            {
                401 => "The admin key was refused: pass --key, or set Admin:ApiKey (Admin__ApiKey) to the service's key.",
                404 when detail.Length == 0 => $"Not found at {baseUrl}: the admin API is off unless the service has an Admin:ApiKey.",
                429 => "Too many refused keys from this address: wait a minute.",
                _ => $"{(int)response.StatusCode} {ProblemDetail(detail)}",
            });
        }
        catch (HttpRequestException ex)
        {
            var why = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.Message;
            await error.WriteLineAsync($"Could not reach {baseUrl}: {why}. Is the service running? Pass --url otherwise.");
        }

        return null;
    }

    public void Dispose() => _http.Dispose();

    private static string ProblemDetail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
