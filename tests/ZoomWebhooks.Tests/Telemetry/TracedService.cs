using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using ZoomWebhooks.Telemetry;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Telemetry;

/// <summary>
/// The receiver's OpenTelemetry setup (<see cref="TelemetrySetup.AddTelemetrySdk"/>, the sampler
/// included) with OpenTelemetry's in-memory exporter in place of OTLP. Listeners are process-wide,
/// so the tests that start one share a collection and look only at their own trace id.
/// </summary>
public static class TracedService
{
    public static SpanList AddTo(ServiceFactory factory, IDictionary<string, string?>? otel = null)
    {
        var spans = new SpanList();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(otel ?? new Dictionary<string, string?>()).Build();
        factory.WithServices(services =>
        {
            services.AddTelemetrySdk(configuration, "ZoomWebhooks.Tests");
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        });
        return spans;
    }

    /// <summary>A traceparent as Zoom sends it: flags 02, random set, sampled not.</summary>
    public static (ActivityTraceId TraceId, ActivitySpanId SpanId, string Header) ZoomTraceParent()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        return (traceId, spanId, $"00-{traceId}-{spanId}-02");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}

/// <summary>The exporter's target; it is written on the export thread while a test reads it.</summary>
public sealed class SpanList : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Of(ActivityTraceId traceId)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.TraceId == traceId).ToList();
        }
    }

    public Task<IReadOnlyList<Activity>> WaitForAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> done, string because) =>
        Eventually.Until(() => Task.FromResult(Of(traceId)), done, because: because);

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.Contains(item);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_spans)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        lock (_spans)
        {
            return _spans.ToList().GetEnumerator();
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
