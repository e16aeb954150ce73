namespace ZoomWebhooks.Cli.Doctor;

public enum Severity
{
    Ok,
    Warning,
    Error,
}

/// <summary>One line of <c>zoomhook doctor</c>: what was found and, unless it is fine, what to do.</summary>
public sealed record Finding(Severity Severity, string Message, string? Fix = null)
{
    public static Finding Ok(string message) => new(Severity.Ok, message);

    public static Finding Warn(string message, string fix) => new(Severity.Warning, message, fix);

    public static Finding Error(string message, string? fix = null) => new(Severity.Error, message, fix);
}
