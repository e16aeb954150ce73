using System.Text;
using ZoomWebhooks.Cli;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs `zoomhook` in-process from its own temporary folder (its own appsettings.json, variables
/// and user secrets), with captured output, so no test sees the developer's configuration.
/// </summary>
public sealed class CliRunner : IDisposable
{
    public const string DefaultSettings = $$"""
        { "Zoom": { "Environments": { "Development": { "SecretToken": "{{ServiceFactory.DevelopmentSecret}}" } } } }
        """;

    public CliRunner(string? appsettings = DefaultSettings)
    {
        Folder = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        if (appsettings is not null)
        {
            WriteFile("appsettings.json", appsettings);
        }
    }

    public string Folder { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? UserSecretsFile { get; set; }

    public string StandardInput { get; set; } = "";

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The repository's samples/ folder, the one `zoomhook send samples/` replays.</summary>
    public static string SamplesFolder { get; } = Path.Combine(RepositoryRoot(), "samples");

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(output, error, Folder, Variables)
        {
            OpenInput = () => new MemoryStream(Encoding.UTF8.GetBytes(StandardInput)),
            UserSecretsFile = UserSecretsFile,
            Time = Time,
        };
        var exitCode = await CliApp.InvokeAsync(args, environment);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ZoomWebhooks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ZoomWebhooks.sln not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; nothing else reads this folder.
        }
    }
}
