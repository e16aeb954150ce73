using System.Globalization;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Packaging;

/// <summary>
/// The three packages, packed once from this repository into a temporary folder, under a version
/// of their own: the NuGet cache keeps a package by id and version forever, so a fixed version
/// would hand the next run this run's code.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    public static readonly string[] Ids = ["ZoomWebhooks.Core", "ZoomWebhooks.AspNetCore", "ZoomWebhooks.Cli"];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("zoomwebhooks-packages-");

    public string Version { get; } = "0.0.0-test." + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public string Folder => _folder.FullName;

    public async Task InitializeAsync()
    {
        foreach (var id in Ids)
        {
            // Restored already by the test build: no restore here leaves obj/ alone for the other tests.
            await DotnetAsync(RepositoryFiles.RootFolder(), "pack", Path.Combine("src", id), "-c", "Release", "--no-restore",
                "-o", Folder, $"-p:Version={Version}");
        }
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        foreach (var id in Ids)
        {
            var cached = Path.Combine(NuGetCache(), id.ToLowerInvariant(), Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs <c>dotnet</c>; fails with all it printed unless it exits 0. Returns one line for the test output.</summary>
    public static async Task<string> DotnetAsync(string folder, params string[] arguments)
    {
        var run = await ProcessRun.RunAsync("dotnet", arguments, folder);
        run.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', arguments)} printed:\n{run.Output}");
        return $"dotnet {string.Join(' ', arguments)}: exit {run.ExitCode}";
    }

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
