namespace ZoomWebhooks.OAuth;

/// <summary>
/// Zoom's token endpoint or API said no (<see cref="Error"/> is Zoom's <c>error</c> code, such as
/// <c>invalid_client</c> or <c>invalid_grant</c>), or gave no usable answer (<see cref="Unavailable"/>).
/// The message holds Zoom's reason, never a token or secret.
/// </summary>
public sealed class ZoomOAuthException : Exception
{
    public const string Unavailable = "unavailable";

    public ZoomOAuthException(int? statusCode, string error, string? reason, Exception? inner = null)
        : base($"Zoom OAuth failed: {error}{(statusCode is null ? "" : $" (HTTP {statusCode})")}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}", inner)
    {
        StatusCode = statusCode;
        Error = error;
        Reason = reason;
    }

    public ZoomOAuthException()
        : this(null, "unknown", null)
    {
    }

    public ZoomOAuthException(string message)
        : base(message)
    {
        Error = "unknown";
    }

    public ZoomOAuthException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "unknown";
    }

    public int? StatusCode { get; }

    public string Error { get; }

    public string? Reason { get; }
}

/// <summary>
/// No usable token for an account: never authorized, deauthorized, or its refresh token refused.
/// The message says what to do (authorize again at <c>/zoom/login</c>).
/// </summary>
public sealed class ZoomNotAuthorizedException : Exception
{
    public ZoomNotAuthorizedException()
    {
    }

    public ZoomNotAuthorizedException(string message)
        : base(message)
    {
    }

    public ZoomNotAuthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
