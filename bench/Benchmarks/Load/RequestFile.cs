using System.Globalization;
using System.Text;
using ZoomWebhooks.Signing;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Writes distinct signed deliveries for bench/accept.lua, one per line:
/// <c>request id TAB timestamp TAB signature TAB body</c>. Signed now with the service's own
/// signing code, so a run must start within the 5-minute timestamp tolerance.
/// <c>--bad-signature</c> signs with another secret: the forged-flood path.
/// </summary>
internal static class RequestFile
{
    public static int Write(string[] args)
    {
        var count = Args.Int(args, "count", 1000);
        var secret = Args.Get(args, "secret");
        var tag = Args.Get(args, "tag", "run");
        var signWith = args.Contains("--bad-signature") ? secret + "-other" : secret;
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds();
        using var output = new StreamWriter(Args.Get(args, "out"), append: false, new UTF8Encoding(false), 1 << 20);
        for (var n = 0; n < count; n++)
        {
            var body = Payload.Joined(tag, n, now.ToUnixTimeMilliseconds() + n);
            var signature = ZoomSignature.Sign(signWith, timestamp, body);
            // The body is valid UTF-8, so it round-trips through a string byte for byte.
            output.Write($"{tag}-{n}-{Guid.NewGuid():N}\t{timestamp.ToString(CultureInfo.InvariantCulture)}\t{signature}\t{Encoding.UTF8.GetString(body)}\n");
        }

        return 0;
    }
}
