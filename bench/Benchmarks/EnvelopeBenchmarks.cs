using BenchmarkDotNet.Attributes;
using ZoomWebhooks.Benchmarks.Load;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks.Benchmarks;

/// <summary>The rest of the per-request CPU before the inbox: envelope parse and the dedup hash.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = Payload.Joined("bdn", 1, 1_796_029_355_907);

    [Benchmark]
    public bool TryParse() => WebhookEnvelope.TryParse(_body, out _);

    [Benchmark]
    public object CreateIncoming() =>
        IncomingEvent.Create(_body, "meeting.participant_joined", 1, "uuid", "request", null, DateTimeOffset.UnixEpoch);
}
