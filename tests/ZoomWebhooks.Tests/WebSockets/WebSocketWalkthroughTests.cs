using System.Net;
using System.Text.RegularExpressions;
using ZoomWebhooks.Cli;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.WebSockets;

/// <summary>
/// The README's walkthrough ("Receiving over WebSocket") as written: <c>zoomhook fake-zoom</c>, the
/// service as a process with the README's <c>export</c> line (only the fake's port differs), then
/// the README's pushes and close against the fake's control endpoints.
/// </summary>
public sealed partial class WebSocketWalkthroughTests
{
    [Fact]
    public async Task The_README_walkthrough_stores_both_events_and_shows_the_reconnect()
    {
        var written = new StringWriter();
        var output = TextWriter.Synchronized(written);
        using var stop = new CancellationTokenSource();
        var environment = new CliEnvironment(output, output, Path.GetTempPath(), new Dictionary<string, string>());
        var fake = CliApp.InvokeAsync(["fake-zoom", "--port", "0"], environment, stop.Token);
        var printed = await Eventually.Until(() => Task.FromResult(Read(output, written)), o => o.Contains("Fake Zoom listening on", StringComparison.Ordinal),
            because: "the fake starts");
        var baseUrl = ListeningOn().Match(printed).Groups[1].Value;
        var settings = ReadmeExports().ToDictionary(e => e.Key, e => e.Value.Replace("http://127.0.0.1:9010", baseUrl, StringComparison.Ordinal)
            .Replace("ws://127.0.0.1:9010", "ws" + baseUrl["http".Length..], StringComparison.Ordinal));
        settings["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var http = new HttpClient();
        try
        {
            await using var service = ServiceProcess.Start(settings);
            await service.WaitForOutputAsync("connected after");

            (await http.PostAsync(baseUrl + "/fake/push", File(Path.Combine("samples", "meeting.started.json")))).StatusCode.Should().Be(HttpStatusCode.OK);
            await service.WaitForOutputAsync("stored as inbox 1 (accepted)");
            (await http.PostAsync(baseUrl + "/fake/close", null)).StatusCode.Should().Be(HttpStatusCode.OK);
            await service.WaitForOutputAsync("last disconnect: closed");
            (await http.PostAsync(baseUrl + "/fake/push", File(Path.Combine("samples", "meeting.ended.json")))).StatusCode.Should().Be(HttpStatusCode.OK);
            await service.WaitForOutputAsync("stored as inbox 2 (accepted)");

            var metrics = await http.GetStringAsync($"http://127.0.0.1:{service.Port}/metrics");
            metrics.Should().Contain("zoomwebhooks_websocket_connected 1").And.Contain("zoomwebhooks_websocket_disconnects_total{reason=\"closed\"} 1")
                .And.Contain("zoomwebhooks_websocket_messages_total{outcome=\"accepted\"} 2");
            service.Output.Should().Contain("Zoom WebSocket disconnected (closed 1000 closed by the fake)");
            service.Output.Should().NotContain("fake-client-secret").And.NotContain("access_token");
        }
        finally
        {
            await stop.CancelAsync();
            (await fake).Should().Be(0);
        }
    }

    /// <summary>The variables of the section's <c>$ export</c> command, a shell line continued with backslashes.</summary>
    private static Dictionary<string, string> ReadmeExports()
    {
        var readme = RepositoryFiles.Read("README.md");
        var section = readme[readme.IndexOf("## Receiving over WebSocket", StringComparison.Ordinal)..];
        var export = section[(section.IndexOf("$ export ", StringComparison.Ordinal) + "$ export ".Length)..];
        export = export[..export.IndexOf("\n$ ", StringComparison.Ordinal)].Replace("\\\n", " ", StringComparison.Ordinal);
        var variables = export.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        variables.Should().ContainKey("Zoom__WebSocket__Enabled").And.ContainKey("Zoom__Environments__Development__AccountId");
        return variables;
    }

    private static ByteArrayContent File(string relative) =>
        new(System.IO.File.ReadAllBytes(Path.Combine(RepositoryFiles.RootFolder(), relative)));

    private static string Read(TextWriter synchronized, StringWriter inner)
    {
        lock (synchronized)
        {
            return inner.ToString();
        }
    }

    [GeneratedRegex(@"Fake Zoom listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
