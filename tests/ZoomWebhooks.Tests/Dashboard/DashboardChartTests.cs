using System.Text.RegularExpressions;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Dashboard;

public sealed partial class DashboardChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_timeline_has_a_row_per_participant_a_bar_per_stay_across_the_meeting_and_each_total()
    {
        var meeting = new MeetingSummary("u1", "1", "Sync", null, null, Start, Start.AddMinutes(60), MeetingSummary.Ended);
        var detail = new MeetingDetail(meeting,
        [
            new ParticipantAttendance("a", "Ada <script>", null, null, null,
                [new(Start, Start.AddMinutes(30)), new(Start.AddMinutes(45), Start.AddMinutes(60))], 45 * 60),
            new ParticipantAttendance("b", null, null, null, null, [new(Start.AddMinutes(15), Start.AddMinutes(45))], 30 * 60),
        ]);

        var svg = Svg.Timeline(detail, Start.AddHours(5));

        Regex.Matches(svg, "<g class=\"person\">").Should().HaveCount(2);
        var bars = Bars().Matches(svg).Select(m => (X: double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            Width: double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        bars.Should().HaveCount(3, "one bar per stay");
        bars[0].Should().Be((180, 300), "the first stay fills the first half of the 600-pixel plot");
        bars[1].Should().Be((630, 150));
        bars[2].Should().Be((330, 300));
        svg.Should().Contain(">45m 00s<").And.Contain(">30m 00s<").And.Contain("Ada &lt;script&gt;").And.NotContain("<script>");
        svg.Should().NotContain("style=", "the page's CSP allows no inline style");
    }

    [Fact]
    public void A_stay_still_open_in_a_live_meeting_runs_to_now()
    {
        var meeting = new MeetingSummary("u1", "1", "Live", null, null, Start, null, MeetingSummary.Live);
        var detail = new MeetingDetail(meeting, [new ParticipantAttendance("a", "Ada", null, null, null, [new(Start.AddMinutes(30), null)], 0)]);

        var svg = Svg.Timeline(detail, Start.AddMinutes(60));

        svg.Should().Contain("class=\"stay open\" x=\"480\"").And.Contain("width=\"300\"").And.Contain("still there");
    }

    [GeneratedRegex("<rect class=\"stay[^\"]*\" x=\"([\\d.]+)\" y=\"[\\d.]+\" width=\"([\\d.]+)\"")]
    private static partial Regex Bars();
}
