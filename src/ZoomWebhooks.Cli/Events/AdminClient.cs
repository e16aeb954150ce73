using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ZoomWebhooks.Cli.Settings;

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

    /// <summary>The <c>--key</c> option of every command that calls the admin API.</summary>
    public static Option<string?> KeyOption() =>
        new("--key") { Description = "Admin API key instead of Admin:ApiKey (never printed).", Recursive = true };

    /// <summary>
    /// Runs <paramref name="action"/> with a client for the service of the settings and the key of
    /// <c>--key</c> or <c>Admin:ApiKey</c>: exit code 0 when it succeeded, 1 when it did not or no key is set.
    /// </summary>
    public static async Task<int> RunAsync(
        CliEnvironment environment,
        GlobalOptions global,
        Option<string?> keyOption,
        ParseResult parse,
        Func<AdminClient, TextWriter, CancellationToken, Task<bool>> action,
        CancellationToken cancellationToken)
    {
        var settings = global.Load(parse, environment);
        var key = parse.GetValue(keyOption) ?? settings.Configuration["Admin:ApiKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            await environment.Error.WriteLineAsync("No admin key: set Admin:ApiKey (Admin__ApiKey) as the service has it, or pass --key.");
            return 1;
        }

        using var client = new AdminClient(new Uri(settings.WebhookUrl, "/"), key);
        return await action(client, environment.Error, cancellationToken) ? 0 : 1;
    }

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
