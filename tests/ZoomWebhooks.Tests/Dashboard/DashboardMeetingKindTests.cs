using System.Net;
using ZoomWebhooks.Tests.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>Webinars on the meetings pages: each row and the meeting page say meeting or webinar, and the list filters by it.</summary>
public sealed class DashboardMeetingKindTests
{
    [Fact]
    public async Task The_meetings_pages_show_and_filter_meetings_and_webinars()
    {
        using var factory = DashboardAccessTests.Factory();
        var deliveries = MeetingSamples.Events().Concat(MeetingSamples.WebinarEvents()).ToList();
        foreach (var sample in deliveries)
        {
            (await factory.PostSignedAsync(sample.Body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath),
            rows => rows.Count == deliveries.Count && rows.All(r => r.Status == "done"));
        var browser = DashboardClient.For(factory);
        await browser.LogInAsync();

        var meeting = Link(MeetingSamples.SampleUuid);
        var webinar = Link(MeetingSamples.WebinarUuid);
        var all = await browser.PageAsync("/dashboard/meetings");
        all.Should().Contain(meeting).And.Contain(webinar);
        all.Should().Contain("""<span class="kind meeting">meeting</span>""").And.Contain("""<span class="kind webinar">webinar</span>""");

        var webinars = await browser.PageAsync("/dashboard/meetings?kind=webinar");
        webinars.Should().Contain(webinar).And.NotContain(meeting);
        var meetings = await browser.PageAsync("/dashboard/meetings?kind=meeting");
        meetings.Should().Contain(meeting).And.NotContain(webinar);

        (await browser.PageAsync(WebUtility.HtmlDecode(webinar))).Should().Contain("""id="kind">webinar<""").And.Contain("Webinar id");
        (await browser.PageAsync(WebUtility.HtmlDecode(meeting))).Should().Contain("""id="kind">meeting<""");
    }

    // As the page writes a meeting's link: the uuid escaped for the path, the href HTML-encoded.
    private static string Link(string uuid) => "/dashboard/meetings/" + Uri.EscapeDataString(uuid);
}
