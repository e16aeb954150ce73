using System.Globalization;
using System.Net;
using System.Text;
using Xunit.Abstractions;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Packaging;

/// <summary>
/// The package as a stranger uses it: packed from this repository into a folder, added to a new
/// <c>dotnet new web</c> app outside the repository, with the two calls and a handler of its own,
/// run on loopback and sent a signed <c>meeting.started</c>. Then the tool from the same folder.
/// </summary>
public sealed class PackageConsumerTests(PackedPackages packed, ITestOutputHelper output) : IClassFixture<PackedPackages>, IDisposable
{
    private const string Secret = "consumer-test-secret-token-0123456789";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("zoomwebhooks-consumer-");

    [Fact]
    public void Each_package_carries_its_readme_licence_and_symbols()
    {
        foreach (var id in PackedPackages.Ids)
        {
            using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packed.Folder, $"{id}.{packed.Version}.nupkg"));
            package.GetEntry("README.md").Should().NotBeNull(id);
            using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var manifest = nuspec.ReadToEnd();
            manifest.Should().Contain("<license type=\"expression\">Apache-2.0</license>", id).And.Contain("<readme>README.md</readme>", id);
            // SourceLink: the commit the package was built from.
            manifest.Should().MatchRegex("<repository [^>]*commit=\"[0-9a-f]{40}\"", id);
            File.Exists(Path.Combine(packed.Folder, $"{id}.{packed.Version}.snupkg")).Should().BeTrue(id);
            if (id == "ZoomWebhooks.AspNetCore")
            {
                // This run's Core, not whatever 0.1.0 a cache holds.
                manifest.Should().Contain($"<dependency id=\"ZoomWebhooks.Core\" version=\"{packed.Version}\"");
            }
        }
    }

    [Fact]
    public void The_library_package_carries_the_dashboards_stylesheet_and_script_inside_its_assembly()
    {
        using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packed.Folder, $"ZoomWebhooks.AspNetCore.{packed.Version}.nupkg"));
        package.Entries.Select(e => e.FullName).Should().NotContain(e => e.StartsWith("staticwebassets/", StringComparison.Ordinal),
            "the dashboard needs no static web assets set up in the consuming app");
        using var dll = new MemoryStream();
        using (var entry = package.GetEntry("lib/net10.0/ZoomWebhooks.AspNetCore.dll")!.Open())
        {
            entry.CopyTo(dll);
        }

        dll.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(dll);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        metadata.ManifestResources.Select(r => metadata.GetString(metadata.GetManifestResource(r).Name))
            .Should().Contain(["ZoomWebhooks.Dashboard.dashboard.css", "ZoomWebhooks.Dashboard.dashboard.js"]);
    }

    [Fact]
    public async Task A_new_web_app_adds_the_package_and_its_handler_sees_a_signed_meeting_started()
    {
        var packages = packed.Folder;

        var app = Path.Combine(_folder.FullName, "consumer");
        await DotnetAsync(_folder.FullName, "new", "web", "--output", app, "--no-update-check", "--framework", "net10.0");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="zoomwebhooks-local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        await DotnetAsync(app, "add", "package", "ZoomWebhooks.AspNetCore", "--version", packed.Version);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ConsumerProgram);
        await DotnetAsync(app, "build", "--nologo");

        var uuid = "c0nsumer+Test/uuid==";
        await using var consumer = ServiceProcess.StartProject(app, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = Secret,
            ["ConnectionStrings__Inbox"] = $"Data Source={Path.Combine(_folder.FullName, "inbox.db")}",
        });
        await consumer.WaitForOutputAsync("Now listening on");

        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted(uuid));
        using var response = await consumer.PostSignedAsync(body, Secret);
        response.StatusCode.Should().Be(HttpStatusCode.OK, consumer.Output);
        (await response.Content.ReadAsStringAsync()).Should().Contain("accepted");

        await consumer.WaitForOutputAsync($"NotifyCrm saw meeting {uuid}");
        consumer.Output.Should().Contain($"NotifyCrm saw meeting {uuid}");
    }

    [Fact]
    public async Task The_tool_installs_from_the_package_folder_and_signs_like_the_library()
    {
        var tools = Path.Combine(_folder.FullName, "tools");
        await DotnetAsync(_folder.FullName, "tool", "install", "ZoomWebhooks.Cli", "--tool-path", tools, "--add-source", packed.Folder, "--version", packed.Version);

        var file = Path.Combine(_folder.FullName, "started.json");
        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted("tool+uuid/=="));
        File.WriteAllBytes(file, body);
        var sign = await ProcessRun.RunAsync(Path.Combine(tools, "zoomhook"), ["sign", file], _folder.FullName,
            new Dictionary<string, string> { ["Zoom__Environments__Development__SecretToken"] = Secret });
        output.WriteLine(sign.Output);
        sign.ExitCode.Should().Be(0, sign.Output);

        var headers = sign.Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("x-zm-", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        var timestamp = long.Parse(headers[ZoomSignature.TimestampHeader], CultureInfo.InvariantCulture);
        headers[ZoomSignature.SignatureHeader].Should().Be(ZoomSignature.Sign(Secret, timestamp, body));
    }

    public void Dispose() => _folder.Delete(recursive: true);

    private async Task DotnetAsync(string folder, params string[] arguments) =>
        output.WriteLine(await PackedPackages.DotnetAsync(folder, arguments));

    // The README's "Use it as a package" Program.cs, with the handler printing what it saw.
    private const string ConsumerProgram = """
        using MediatR;
        using ZoomWebhooks;

        var builder = WebApplication.CreateBuilder(args);
        builder.AddZoomWebhooks(typeof(Program).Assembly);   // handlers are scanned from these assemblies
        var app = builder.Build();
        app.MapZoomWebhooks();
        app.Run();

        sealed class NotifyCrm : INotificationHandler<MeetingStarted>
        {
            public Task Handle(MeetingStarted started, CancellationToken ct)
            {
                Console.WriteLine($"NotifyCrm saw meeting {started.Meeting.Uuid}");
                return Task.CompletedTask;
            }
        }
        """;
}
