using System.Globalization;
using System.Text;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Writes distinct signed deliveries for bench/accept.lua, one per line:
/// <c>request id TAB timestamp TAB signature TAB body</c>. Signed now with the service's own
/// signing code, so a run must start within the 5-minute timestamp tolerance.
/// <c>--bad-signature</c> signs with another secret: the forged-flood path.
/// <c>--mix</c> writes whole meetings (<see cref="Payload.Mixed"/>), and every 20th line is
/// Zoom retrying the delivery ten lines before it (same request id and body).
/// </summary>
/// <remarks>
/// Request ids are shaped like Zoom's (<c>64eb154e_52f5_5a1b_1b38_bd82e32abadf</c>): random, so
/// each new one lands at a random place in the inbox's unique index on them, as in production.
/// Until issue 15's third pass they began with the tag and line number, which sorted nearly in
/// order: with the dispatcher off, the index then wrote 0.20 pages per accepted event, against
/// 1.26 with Zoom's. (The storm and the prefilled drains keep ids of their own.)
/// </remarks>
internal static class RequestFile
{
    private const int RetryEvery = 20;
    private const int RetryDistance = 10;

    public static int Write(string[] args)
    {
        var count = Args.Int(args, "count", 1000);
        var secret = Args.Get(args, "secret");
        var tag = Args.Get(args, "tag", "run");
        var signWith = args.Contains("--bad-signature") ? secret + "-other" : secret;
        var mix = args.Contains("--mix");
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var recent = new string[RetryDistance];
        using var output = new StreamWriter(Args.Get(args, "out"), append: false, new UTF8Encoding(false), 1 << 20);
        for (var n = 0; n < count; n++)
        {
            // The slot still holds line n - RetryDistance: the retry repeats it as it was.
            if (!mix || n % RetryEvery != RetryEvery - 1)
            {
                var eventTs = now.ToUnixTimeMilliseconds() + n;
                var body = mix ? Payload.Mixed(tag, n, eventTs) : Payload.Joined(tag, n, eventTs);
                var signature = ZoomSignature.Sign(signWith, long.Parse(timestamp, CultureInfo.InvariantCulture), body);
                // The body is valid UTF-8, so it round-trips through a string byte for byte.
                recent[n % RetryDistance] = $"{ZoomRequestId()}\t{timestamp}\t{signature}\t{Encoding.UTF8.GetString(body)}\n";
            }

            output.Write(recent[n % RetryDistance]);
        }

        return 0;
    }

    private static string ZoomRequestId() => Guid.NewGuid().ToString("D").Replace('-', '_');
}
