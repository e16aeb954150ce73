using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>No page, however it is reached, shows a secret, the admin key, a download token, a passcode or an email.</summary>
public sealed partial class DashboardPrivacyTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("zoomwebhooks-privacy-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task No_page_contains_a_secret_token_the_admin_key_a_download_token_a_passcode_or_an_email()
    {
        // Recordings on, to a host nobody can reach: the sample's files become jobs (with its token) that fail.
        using var factory = DashboardAccessTests.Factory(new()
        {
            ["Recordings:Path"] = _folder.FullName,
            ["Recordings:AllowedHosts:0"] = "127.0.0.1",
        });
        var deliveries = MeetingSamples.Events().Select(e => e.Body)
            .Append(RepositoryFiles.Read("samples/meeting.created.json"))
            .Append(RepositoryFiles.Read("samples/recording.completed.json"))
            .ToList();
        foreach (var body in deliveries)
        {
            (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var rows = await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath),
            r => r.Count == deliveries.Count && r.All(e => e.Status == "done"));
        var browser = DashboardClient.For(factory);
        await browser.LogInAsync();

        var pages = new List<(string Path, string Html)>();
        // Decoded: Razor writes non-ASCII text as character references, and a secret must not hide in one.
        async Task Visit(string path) => pages.Add((path, WebUtility.HtmlDecode(await browser.PageAsync(path))));
        await Visit("/dashboard");
        await Visit("/dashboard/events");
        foreach (var row in rows)
        {
            await Visit($"/dashboard/events/{row.Id}");
        }

        var jobs = await Eventually.Until(() => factory.Services.GetRequiredService<RecordingStore>().ListAsync(null, 10, CancellationToken.None),
            j => j.Count > 0 && j.All(r => r.File.DownloadToken is not null));
        await Visit("/dashboard/recordings");
        pages[^1].Html.Should().Contain(jobs[0].File.FileId, "the sample's files are listed")
            .And.NotContain(jobs[0].File.DownloadUrl, "a download URL may carry a token in its query; the page shows none");
        await Visit("/dashboard/meetings");
        foreach (Match link in MeetingLink().Matches(pages[^1].Html))
        {
            await Visit(link.Groups[1].Value);
        }

        pages.Should().Contain(p => p.Path.StartsWith("/dashboard/meetings/", StringComparison.Ordinal), "the sample meeting is listed");
        var csv = await (await browser.GetAsync(pages.Last(p => p.Path.StartsWith("/dashboard/meetings/", StringComparison.Ordinal)).Path + "/attendance.csv"))
            .Content.ReadAsStringAsync();
        csv.Should().Contain("Søren", "the download is the attendance");
        pages.Add(("attendance.csv", csv));
        string[] secrets =
        [
            ServiceFactory.DevelopmentSecret, ServiceFactory.ProductionSecret, DashboardClient.Key,
            "sample-download-token-not-real", "sample-passcode-not-real", "Qx7pL2", "@northwind-labs.test", MeetingSamples.Email,
        ];
        foreach (var (path, html) in pages)
        {
            foreach (var secret in secrets)
            {
                html.Should().NotContain(secret, $"{path} must not show it");
            }
        }

        pages.Single(p => p.Html.Contains("recording.completed", StringComparison.Ordinal) && p.Path.StartsWith("/dashboard/events/", StringComparison.Ordinal))
            .Html.Should().Contain("\"download_token\": \"••••••\"", "the body is shown, masked");
    }

    [GeneratedRegex("""href="(/dashboard/meetings/[^"]+)"(?![^>]*csv)""")]
    private static partial Regex MeetingLink();
}
