using ZoomWebhooks.Tests.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

/// <summary><c>zoomhook recordings</c> against the service's <c>/api/recordings</c> over a real socket.</summary>
public sealed class RecordingsCommandTests
{
    private const string Key = "cli-recordings-key-0123456789abcdef-01";
    private const string Token = "dl-token-cli-Rt6Qw2";

    [Fact]
    public async Task A_failed_download_is_listed_with_its_reason_and_retried_to_done()
    {
        await using var zoom = await FakeZoomFiles.StartAsync();
        var served = zoom.Add("cli-file-1", 12_345, "not-the-events-token");
        var root = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"rec-cli-{Guid.NewGuid():N}");
        using var server = CliServer.Start(new Dictionary<string, string?>
        {
            ["Admin:ApiKey"] = Key,
            ["Recordings:Path"] = root,
            ["Recordings:AllowedHosts:0"] = "127.0.0.1",
            ["Recordings:PollInterval"] = "00:00:00.100",
        });
        using var cli = new CliRunner();
        cli.Variables["Admin__ApiKey"] = Key;
        var body = RecordingEvents.Completed(Token, [new EventFile("cli-file-1", zoom.UrlOf("cli-file-1"), 12_345)]);
        cli.WriteFile("recording.json", System.Text.Encoding.UTF8.GetString(body));
        (await cli.RunAsync("send", Path.Combine(cli.Folder, "recording.json"), "--url", server.BaseUrl)).ExitCode.Should().Be(0);

        var failed = await Eventually.Until(() => cli.RunAsync("recordings", "list", "--status", "failed", "--url", server.BaseUrl),
            r => r.Out.Contains("cli-file-1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the download failed");
        served.Tokens.Add(Token);
        var retry = await cli.RunAsync("recordings", "retry", "cli-file-1", "--url", server.BaseUrl);
        var done = await Eventually.Until(() => cli.RunAsync("recordings", "list", "--status", "done", "--url", server.BaseUrl),
            r => r.Out.Contains("cli-file-1", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the retried download done");
        var again = await cli.RunAsync("recordings", "retry", "cli-file-1", "--url", server.BaseUrl);

        failed.ExitCode.Should().Be(0, failed.ToString());
        failed.Out.Should().Contain("failed").And.Contain("HTTP 401");
        retry.ExitCode.Should().Be(0, retry.ToString());
        retry.Out.Should().Contain("Retrying cli-file-1.");
        done.Out.Should().Contain("12,345").And.Contain("MP4");
        again.ExitCode.Should().Be(1);
        again.Error.Should().Contain("only a failed one can be retried");
        (failed.All + retry.All + done.All + again.All).Should().NotContain(Key).And.NotContain(Token);
        Directory.Delete(root, recursive: true);
    }
}
