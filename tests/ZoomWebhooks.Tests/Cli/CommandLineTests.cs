using System.Diagnostics;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData]
    [InlineData("send")]
    [InlineData("new")]
    [InlineData("sign")]
    [InlineData("validate")]
    [InlineData("doctor")]
    public async Task Every_command_has_help(params string[] command)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync([.. command, "--help"]);

        result.ExitCode.Should().Be(0);
        // In-process the usage line names the test host, not `zoomhook`; the process test covers the real name.
        result.Out.Should().Contain("Usage:").And.Contain($" {string.Join(' ', command)} ").And.Contain("--url");
    }

    [Theory]
    [InlineData("send")]
    [InlineData("send", "x.json", "--repeat", "0")]
    [InlineData("send", "x.json", "--concurrency", "65")]
    [InlineData("doctor", "--env", "Staging")]
    [InlineData("frobnicate")]
    [InlineData("validate", "--url", "localhost:5080")]
    public async Task A_usage_error_exits_non_zero(params string[] args)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync(args);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().NotBeEmpty();
    }

    [Fact]
    public async Task As_a_process_it_is_called_zoomhook_and_new_piped_into_send_is_accepted()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();
        var (newExit, payload, _) = await RunProcessAsync(cli.Folder, "", "new", "meeting.participant_left");

        var (sendExit, output, error) = await RunProcessAsync(cli.Folder, payload, "send", "-", "--url", server.BaseUrl);

        var (helpExit, help, _) = await RunProcessAsync(cli.Folder, "", "send", "--help");

        newExit.Should().Be(0);
        helpExit.Should().Be(0);
        help.Should().Contain("zoomhook send <paths>... [options]");
        sendExit.Should().Be(0, output + error);
        output.Should().MatchRegex(@"meeting\.participant_left\s+200 accepted");
    }

    /// <summary>Runs the built tool with `dotnet zoomhook.dll`, standard input from <paramref name="input"/>.</summary>
    private static async Task<(int ExitCode, string Out, string Error)> RunProcessAsync(string folder, string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "zoomhook.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Zoom__Environments__Development__SecretToken"] = ServiceFactory.DevelopmentSecret;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
