using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// Server-drawn SVG: no chart library, no script, nothing from another origin. Colours and sizes
/// are SVG attributes and classes from the dashboard's stylesheet, never <c>style</c> attributes,
/// so the pages pass a CSP without <c>'unsafe-inline'</c>. Every text is HTML-encoded.
/// </summary>
internal static class Svg
{
    private const int BarWidth = 4;
    private const int ChartHeight = 48;
    private const int Label = 24;

    /// <summary>One small bar chart of a series, a bar per minute, each with a tooltip.</summary>
    public static string Bars(string title, string css, IReadOnlyList<MinuteCounts> minutes, Func<MinuteCounts, long> value)
    {
        var max = Math.Max(1, minutes.Max(value));
        var width = minutes.Count * BarWidth;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg class=\"chart {css}\" role=\"img\" viewBox=\"0 0 {width} {ChartHeight + Label}\" width=\"{width}\" height=\"{ChartHeight + Label}\">"))
            .Append("<title>").Append(Encode(title)).Append(" per minute</title>")
            .Append(Inv($"<line class=\"axis\" x1=\"0\" y1=\"{ChartHeight}\" x2=\"{width}\" y2=\"{ChartHeight}\"/>"));
        for (var i = 0; i < minutes.Count; i++)
        {
            var minute = minutes[i];
            if (minute.At.Minute % 30 == 0)
            {
                svg.Append(Inv($"<text class=\"tick\" x=\"{i * BarWidth}\" y=\"{ChartHeight + 16}\">{minute.At:HH:mm}</text>"));
            }

            var n = value(minute);
            if (n > 0)
            {
                var height = Math.Max(2, (int)Math.Round(n * (double)ChartHeight / max));
                svg.Append(Inv($"<rect class=\"bar\" x=\"{i * BarWidth}\" y=\"{ChartHeight - height}\" width=\"{BarWidth - 1}\" height=\"{height}\">"))
                    .Append(Inv($"<title>{minute.At:HH:mm} UTC: {n}</title></rect>"));
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// A meeting's attendance: one row per participant, one bar per stay, across the meeting from
    /// its start to its end (or to now while it is live), each row ending with the person's total.
    /// </summary>
    public static string Timeline(Meetings.MeetingDetail detail, DateTimeOffset now)
    {
        const int nameWidth = 180;
        const int plotWidth = 600;
        const int totalWidth = 90;
        const int row = 26;
        var stays = detail.Participants.SelectMany(p => p.Intervals).ToList();
        var start = detail.Meeting.StartTime ?? (stays.Count > 0 ? stays.Min(s => s.Joined) : now);
        var end = detail.Meeting.EndTime ?? now;
        end = stays.Select(s => s.Left ?? end).Append(end).Max();
        var span = Math.Max(1, (end - start).TotalSeconds);
        double X(DateTimeOffset t) => nameWidth + (Math.Clamp((t - start).TotalSeconds, 0, span) / span * plotWidth);

        var height = (detail.Participants.Count * row) + 40;
        var width = nameWidth + plotWidth + totalWidth;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"))
            .Append("<title>Attendance timeline</title>")
            .Append(Inv($"<text class=\"tick\" x=\"{nameWidth}\" y=\"14\">{start:HH:mm} UTC</text>"))
            .Append(Inv($"<text class=\"tick end\" x=\"{nameWidth + plotWidth}\" y=\"14\">{end:HH:mm} UTC</text>"));
        // A faint line every quarter hour (every hour past three), so a stay's time can be read off.
        var step = span > 3 * 3600 ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(15);
        var bottom = height - 8;
        for (var t = new DateTimeOffset((start.UtcTicks / step.Ticks + 1) * step.Ticks, TimeSpan.Zero); t < end; t += step)
        {
            svg.Append(Inv($"<line class=\"grid\" x1=\"{X(t):0.#}\" y1=\"20\" x2=\"{X(t):0.#}\" y2=\"{bottom}\"/>"))
                .Append(Inv($"<text class=\"tick mid\" x=\"{X(t):0.#}\" y=\"{height - 1}\">{t:HH:mm}</text>"));
        }

        var y = 22;
        foreach (var person in detail.Participants)
        {
            var name = person.Name ?? "(no name)";
            svg.Append(Inv($"<g class=\"person\"><text class=\"name\" x=\"0\" y=\"{y + 15}\">")).Append(Encode(Shorten(name))).Append("</text>")
                .Append(Inv($"<rect class=\"lane\" x=\"{nameWidth}\" y=\"{y + 3}\" width=\"{plotWidth}\" height=\"{row - 6}\"/>"));
            foreach (var stay in person.Intervals)
            {
                var x1 = X(stay.Joined);
                var x2 = Math.Max(x1 + 2, X(stay.Left ?? end));
                svg.Append(Inv($"<rect class=\"stay{(stay.Left is null ? " open" : "")}\" x=\"{x1:0.#}\" y=\"{y + 5}\" width=\"{x2 - x1:0.#}\" height=\"{row - 10}\">"))
                    .Append("<title>").Append(Encode(name))
                    .Append(Inv($": {stay.Joined:HH:mm:ss} to {(stay.Left is { } left ? left.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "still there")}</title></rect>"));
            }

            svg.Append(Inv($"<text class=\"total\" x=\"{width - 4}\" y=\"{y + 15}\">{Duration(person.TotalSeconds)}</text></g>"));
            y += row;
        }

        return svg.Append("</svg>").ToString();
    }

    public static string Duration(long seconds) =>
        seconds >= 3600 ? Inv($"{seconds / 3600}h {seconds % 3600 / 60:00}m") : Inv($"{seconds / 60}m {seconds % 60:00}s");

    private static string Shorten(string name) => name.Length <= 24 ? name : name[..23] + "…";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
