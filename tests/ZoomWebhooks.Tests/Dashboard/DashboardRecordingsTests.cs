using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.Events;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>
/// The recordings page: the jobs newest first, a page at a time, with their status, type, size,
/// attempts and error but never a token or a download URL, and Retry (a POST with antiforgery) for a
/// failed one, the same operation as the read API's. Recordings:Path is unset, so no worker runs and
/// the jobs stay as the test leaves them.
/// </summary>
public sealed class DashboardRecordingsTests
{
    private const string Token = "dl-token-never-on-a-page-7Kq2";
    private const string Query = "access_token=url-secret-9Zp4";

    [Fact]
    public async Task The_recordings_page_lists_pages_and_retries_a_failed_job_and_shows_no_token()
    {
        using var factory = DashboardAccessTests.Factory();
        var store = factory.Services.GetRequiredService<RecordingStore>();
        var start = factory.Time.GetUtcNow();
        var count = DashboardRecordings.PageSize + 2;
        for (var i = 0; i < count; i++)
        {
            await store.EnqueueAsync(File($"file-{i:D3}"), start.AddSeconds(i), CancellationToken.None);
        }

        var oldest = (await store.ClaimAsync(count, start.AddHours(1), TimeSpan.FromMinutes(1), CancellationToken.None)).Single(j => j.File.FileId == "file-000");
        await store.FailAsync(oldest, start.AddHours(1), "HTTP 404 from the download host", CancellationToken.None);
        var browser = DashboardClient.For(factory);
        await browser.LogInAsync();

        (await browser.PageAsync("/dashboard")).Should().Contain("""href="/dashboard/recordings""", "recordings are on, so the navigation shows them");
        var first = await browser.PageAsync("/dashboard/recordings");
        first.Should().Contain($"file-{count - 1:D3}").And.Contain("1.2 MiB").And.Contain("MP4").And.NotContain("file-001", "50 a page, newest first");
        first.IndexOf($"file-{count - 1:D3}", StringComparison.Ordinal).Should().BeLessThan(first.IndexOf($"file-{count - 2:D3}", StringComparison.Ordinal));
        var older = System.Text.RegularExpressions.Regex.Match(first, """href="([^"]+)" rel="next">""");
        older.Success.Should().BeTrue("there is a second page");
        var second = await browser.PageAsync(WebUtility.HtmlDecode(older.Groups[1].Value));
        second.Should().Contain("file-001").And.Contain("file-000").And.Contain("HTTP 404 from the download host").And.NotContain($"file-{count - 1:D3}");
        second.Should().Contain("/dashboard/recordings/file-000/retry", "the failed job has a Retry button");
        foreach (var page in new[] { first, second })
        {
            page.Should().NotContain(Token).And.NotContain(Query).And.NotContain("zoom.us/rec");
        }

        (await browser.PostFormAsync("/dashboard/recordings", "/dashboard/recordings/file-000/retry", withToken: false))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "a POST without the antiforgery token is refused");
        (await store.FindAsync("file-000", CancellationToken.None))!.Status.Should().Be(RecordingStatus.Failed);

        var retried = await browser.PostFormAsync("/dashboard/recordings", "/dashboard/recordings/file-000/retry");
        retried.Headers.Location!.OriginalString.Should().Be("/dashboard/recordings?retried=1");
        var job = await store.FindAsync("file-000", CancellationToken.None);
        job!.Status.Should().Be(RecordingStatus.Pending);
        job.Attempts.Should().Be(0, "the read API's retry resets them");
        (await browser.PostFormAsync("/dashboard/recordings", "/dashboard/recordings/file-000/retry"))
            .Headers.Location!.OriginalString.Should().Be("/dashboard/recordings?retried=0", "only a failed job is retried");
        (await browser.PageAsync("/dashboard/recordings?retried=1")).Should().Contain("Retried");
    }

    private static RecordingFile File(string id) => new(
        id, "acct-dash", new MeetingRef("dash+/1==", "84512739061", "Recorded review", "host-1"), "recording.completed", 1, 7, "MP4", "MP4",
        "shared_screen_with_speaker_view", 1_234_567, $"https://zoom.us/rec/download/{id}?{Query}", Token,
        RecordingPaths.Relative("acct-dash", "dash+/1==", id, "MP4"));
}
