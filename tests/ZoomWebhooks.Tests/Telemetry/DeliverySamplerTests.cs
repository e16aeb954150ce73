using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using ZoomWebhooks.Telemetry;

namespace ZoomWebhooks.Tests.Telemetry;

public sealed class DeliverySamplerTests
{
    private static readonly ActivityContext ZoomParent =
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

    [Fact]
    public void A_flags_02_delivery_is_sampled_by_default()
    {
        var sampler = Sampler();

        sampler.ShouldSample(Parameters(ZoomParent)).Decision.Should().Be(SamplingDecision.RecordAndSample);
    }

    [Theory]
    [InlineData("parentbased_traceidratio")]
    [InlineData("traceidratio")]
    public void A_ratio_of_zero_drops_even_a_sampled_remote_parent(string name)
    {
        var sampler = Sampler(("OTEL_TRACES_SAMPLER", name), ("OTEL_TRACES_SAMPLER_ARG", "0"));
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        sampler.ShouldSample(Parameters(ZoomParent)).Decision.Should().Be(SamplingDecision.Drop);
        sampler.ShouldSample(Parameters(sampledParent)).Decision.Should().Be(SamplingDecision.Drop);
    }

    [Fact]
    public void A_ratio_decides_by_trace_id_so_every_attempt_of_one_event_agrees()
    {
        var sampler = Sampler(("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.5"));
        var decisions = Enumerable.Range(0, 200).Select(_ => ActivityTraceId.CreateRandom()).Select(traceId =>
        {
            var delivery = new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
            var storedAccept = new ActivityContext(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
            return (First: sampler.ShouldSample(Parameters(delivery)).Decision, Later: sampler.ShouldSample(Parameters(storedAccept, traceId)).Decision);
        }).ToList();

        decisions.Should().OnlyContain(d => d.First == d.Later);
        decisions.Should().Contain(d => d.First == SamplingDecision.Drop).And.Contain(d => d.First == SamplingDecision.RecordAndSample);
    }

    [Fact]
    public void Spans_inside_the_process_follow_their_parent()
    {
        var sampler = Sampler();
        var unsampledLocal = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        sampler.ShouldSample(Parameters(unsampledLocal)).Decision.Should().Be(SamplingDecision.Drop);
    }

    [Fact]
    public void Always_off_records_nothing()
    {
        Sampler(("OTEL_TRACES_SAMPLER", "always_off")).ShouldSample(Parameters(ZoomParent)).Decision.Should().Be(SamplingDecision.Drop);
    }

    private static DeliverySampler Sampler(params (string Key, string Value)[] settings) =>
        DeliverySampler.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Background_database_calls_without_a_parent_are_not_traced_but_a_handler_s_are()
    {
        var sampler = Sampler();
        var dispatch = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "zoomwebhooks", ActivityKind.Client))
            .Decision.Should().Be(SamplingDecision.Drop);
        sampler.ShouldSample(new SamplingParameters(dispatch, dispatch.TraceId, "zoomwebhooks", ActivityKind.Client))
            .Decision.Should().Be(SamplingDecision.RecordAndSample);
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "POST /webhooks/zoom", ActivityKind.Server))
            .Decision.Should().Be(SamplingDecision.RecordAndSample);
    }

    private static SamplingParameters Parameters(ActivityContext parent, ActivityTraceId? traceId = null) =>
        new(parent, traceId ?? parent.TraceId, "zoomwebhooks.accept", ActivityKind.Internal);
}
