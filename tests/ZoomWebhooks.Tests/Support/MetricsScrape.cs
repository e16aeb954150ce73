using System.Globalization;

namespace ZoomWebhooks.Tests.Support;

/// <summary>Reads one sample from a Prometheus text scrape: <c>name{label="value",...} number</c>.</summary>
public sealed class MetricsScrape(string text)
{
    public string Text { get; } = text;

    public static async Task<MetricsScrape> FromAsync(HttpClient client) =>
        new(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The sample's value, or 0 when the series does not exist yet.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || (line[name.Length] != '{' && line[name.Length] != ' '))
            {
                continue;
            }

            if (labels.All(l => line.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
