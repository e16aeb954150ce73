using System.Text;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>Bodies an attacker, a broken proxy or a future Zoom might send, chosen by a seeded generator.</summary>
internal static class HostileBodies
{
    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1e308", "9223372036854775808", "\"\"", "\"x\"", "[]", "{}", "[1,{}]",
        "\"\\uD83D\"", "\"\\u0000\"", "\"" + new string('a', 5000) + "\"", "{\"id\":{\"id\":{\"id\":1}}}",
    ];

    private static readonly string[] Events =
    [
        "meeting.started", "meeting.ended", "meeting.participant_joined", "meeting.participant_left",
        "recording.completed", "endpoint.url_validation", "", " ", "x", "../../etc/passwd", "meeting.started\u0000", "🙂",
    ];

    public static byte[] Next(Random random, int index) => (index % 6) switch
    {
        0 => RandomBytes(random),
        1 => Encoding.UTF8.GetBytes(Truncated(random, Envelope(random))),
        2 => Encoding.UTF8.GetBytes(Envelope(random)),
        3 => Encoding.UTF8.GetBytes($$"""{"event":"{{Pick(random, Events)}}","event":"meeting.ended","event_ts":{{Pick(random, Values)}}}"""),
        4 => Encoding.UTF8.GetBytes($$"""{"event":{{Pick(random, Values)}},"payload":{{Pick(random, Values)}}}"""),
        _ => Encoding.UTF8.GetBytes(Pick(random, Values)),
    };

    private static string Envelope(Random random) =>
        "{\"event\":\"" + Pick(random, Events) + "\",\"event_ts\":" + Pick(random, Values) +
        ",\"payload\":{\"account_id\":" + Pick(random, Values) + ",\"object\":{\"uuid\":" + Pick(random, Values) +
        ",\"id\":" + Pick(random, Values) + ",\"participant\":" + Pick(random, Values) + "}}}";

    private static string Truncated(Random random, string json) => json[..random.Next(1, json.Length)];

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 2048)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
