using System.Diagnostics;

namespace ZoomWebhooks;

/// <summary>
/// Where the webhook endpoint puts what it learned about a request (<c>ZoomEvent</c>,
/// <c>ZoomRequestId</c>, <c>Outcome</c>, <c>Reason</c>, <c>InboxId</c>), so that the host's one
/// request-completion log line can carry it. The default sets them as tags of the current
/// <see cref="Activity"/>; a host on Serilog backs this with its <c>IDiagnosticContext</c>.
/// </summary>
public interface IZoomRequestDiagnostics
{
    /// <summary>Sets one property of the current request; a later call with the same name replaces it.</summary>
    /// <param name="propertyName">A PascalCase property name, such as <c>Outcome</c>.</param>
    /// <param name="value">The value; never a secret.</param>
    void Set(string propertyName, object? value);
}

/// <summary>The default: tags on the request's activity, seen by any tracing the app has.</summary>
internal sealed class ActivityRequestDiagnostics : IZoomRequestDiagnostics
{
    public void Set(string propertyName, object? value) => Activity.Current?.SetTag(propertyName, value);
}
