using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ZoomWebhooks.Tests.Support;

/// <summary>Every log event of a host, kept as the JSON line Production would print.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();
    private readonly RenderedCompactJsonFormatter _formatter = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>All events rendered as compact JSON, exception text included.</summary>
    public string AllText()
    {
        using var writer = new StringWriter();
        foreach (var logEvent in _events)
        {
            _formatter.Format(logEvent, writer);
        }

        return writer.ToString();
    }

    public IEnumerable<LogEvent> WithProperty(string name, object value) =>
        Events.Where(e => e.Properties.TryGetValue(name, out var v) && v is ScalarValue { Value: var actual } && Equals(actual, value));

    public static object? Scalar(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue scalar ? scalar.Value : null;
}
