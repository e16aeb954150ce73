using System.Diagnostics;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Webhooks;

/// <summary>The README's curl example, run as printed (only the port differs) against the quick-start configuration.</summary>
public sealed class ReadmeExampleTests
{
    private const string Marker = "<!-- readme-curl-example";

    [Fact]
    public async Task The_readme_curl_example_is_accepted_and_reaches_the_handler()
    {
        var script = ReadmeScript();
        script.Should().Contain("127.0.0.1:5080");
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        await service.WaitForOutputAsync("Now listening on");

        var reply = await RunBashAsync(script.Replace("127.0.0.1:5080", $"127.0.0.1:{service.Port}", StringComparison.Ordinal));

        reply.Should().Be("""{"status":"accepted"}""");
        await service.WaitForOutputAsync("Meeting Dk9+vQ/xTbKw0aZ1e3YgHQ== (81234567890) 'Demo 🚀' started by host demo-host");
        await service.WaitForOutputAsync("attempt 1: done");
        service.Output.Should().Contain("attempt 1: done").And.NotContain("local-dev-secret-token-not-for-production");
    }

    private static string ReadmeScript()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith(Marker, StringComparison.Ordinal)) + 2;
        var end = Array.FindIndex(readme, start, l => l == "```");
        return string.Join('\n', readme[start..end]);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "ZoomWebhooks.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    private static async Task<string> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        bash.ExitCode.Should().Be(0, error);
        return output.Trim();
    }
}
