using System.Diagnostics;
using System.Globalization;
using OpenTelemetry.Trace;

namespace ZoomWebhooks.Telemetry;

/// <summary>
/// Samples what comes from outside (a delivery with Zoom's <c>traceparent</c>, a dispatch attempt
/// continuing the stored one) by our own decision, and follows the parent inside the process.
/// Zoom's deliveries carry trace flags <c>02</c>: random set, sampled not. The SDK's default,
/// parent-based sampling, would therefore record none of them, so a remote parent's flag is not
/// obeyed, only its trace id kept. The root decision comes from <c>OTEL_TRACES_SAMPLER</c> and
/// <c>OTEL_TRACES_SAMPLER_ARG</c> with the SDK's values; the <c>parentbased_</c> ones mean the same
/// here, since parents in the process are always followed. With a ratio the decision depends on
/// the trace id alone, so the accept and every later attempt of one event agree.
/// </summary>
internal sealed class DeliverySampler : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);
    private readonly Sampler _root;

    public DeliverySampler(Sampler root)
    {
        _root = root;
        Description = $"DeliverySampler{{{root.Description}}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default && !parent.IsRemote)
        {
            return parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? Sampled : Dropped;
        }

        // A client call with no parent at all is the service's own background work (the claim
        // poll, lease renewals, retention: Npgsql traces each), several roots a second that would
        // bury the deliveries. A handler's calls have the dispatch as their parent.
        if (parent.TraceId == default && samplingParameters.Kind == ActivityKind.Client)
        {
            return Dropped;
        }

        return _root.ShouldSample(samplingParameters);
    }

    /// <summary>Every delivery unless <c>OTEL_TRACES_SAMPLER</c> says otherwise.</summary>
    public static DeliverySampler FromConfiguration(IConfiguration configuration)
    {
        var ratio = double.TryParse(configuration["OTEL_TRACES_SAMPLER_ARG"], NumberStyles.Float, CultureInfo.InvariantCulture, out var arg)
            && arg is >= 0 and <= 1 ? arg : 1.0;
        Sampler root = configuration["OTEL_TRACES_SAMPLER"]?.Trim().ToLowerInvariant() switch
        {
            "always_off" or "parentbased_always_off" => new AlwaysOffSampler(),
            "traceidratio" or "parentbased_traceidratio" => new TraceIdRatioBasedSampler(ratio),
            _ => new AlwaysOnSampler(),
        };
        return new DeliverySampler(root);
    }
}
