using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Tests.Support;

/// <summary>Options that never change, for a component built by hand instead of by the host.</summary>
internal sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
