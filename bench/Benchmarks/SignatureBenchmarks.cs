using BenchmarkDotNet.Attributes;
using ZoomWebhooks.Benchmarks.Load;

namespace ZoomWebhooks.Benchmarks;

/// <summary>
/// <see cref="ZoomSignature.Verify"/> on a 1 KB body (issue 7: at most 2.5 us, no allocation
/// beyond the body buffer), valid and forged; the raw one-shot HMAC is the floor.
/// </summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private const string Secret = "Xq7vN2pLr9TzKc4WmB8sYd";
    private readonly string[] _tokens = [Secret];
    private byte[] _body = [];
    private string _timestamp = "";
    private string _signature = "";
    private string _forged = "";
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.UtcNow;
        var seconds = _now.ToUnixTimeSeconds();
        _body = Payload.Joined("bdn", 1, _now.ToUnixTimeMilliseconds());
        _timestamp = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _signature = ZoomSignature.Sign(Secret, seconds, _body);
        _forged = ZoomSignature.Sign(Secret + "x", seconds, _body);
    }

    [Benchmark(Baseline = true)]
    public int HmacOneShot()
    {
        Span<byte> hash = stackalloc byte[32];
        return System.Security.Cryptography.HMACSHA256.HashData("Xq7vN2pLr9TzKc4WmB8sYd"u8, _body, hash);
    }

    [Benchmark]
    public SignatureCheck VerifyValid() =>
        ZoomSignature.Verify(_signature, _timestamp, _body, _tokens, _now, TimeSpan.FromMinutes(5), out _);

    [Benchmark]
    public SignatureCheck VerifyForged() =>
        ZoomSignature.Verify(_forged, _timestamp, _body, _tokens, _now, TimeSpan.FromMinutes(5), out _);
}
