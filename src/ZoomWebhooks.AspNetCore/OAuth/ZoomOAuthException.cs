namespace ZoomWebhooks;

/// <summary>
/// Zoom's token endpoint or API said no (<see cref="Error"/> is Zoom's <c>error</c> code, such as
/// <c>invalid_client</c> or <c>invalid_grant</c>), or gave no usable answer (<see cref="Unavailable"/>).
/// The message holds Zoom's reason, never a token or secret.
/// </summary>
public sealed class ZoomOAuthException : Exception
{
    /// <summary>The <see cref="Error"/> when Zoom gave no usable answer (network failure, 5xx after retries).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Zoom's answer, as read from its token endpoint or API.</summary>
    /// <param name="statusCode">The HTTP status, if there was an answer.</param>
    /// <param name="error">Zoom's <c>error</c> code, or <see cref="Unavailable"/>.</param>
    /// <param name="reason">Zoom's <c>reason</c> or <c>error_description</c>.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public ZoomOAuthException(int? statusCode, string error, string? reason, Exception? inner = null)
        : base($"Zoom OAuth failed: {error}{(statusCode is null ? "" : $" (HTTP {statusCode})")}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}", inner)
    {
        StatusCode = statusCode;
        Error = error;
        Reason = reason;
    }

    /// <summary>An unknown failure.</summary>
    public ZoomOAuthException()
        : this(null, "unknown", null)
    {
    }

    /// <summary>An unknown failure with a message.</summary>
    /// <param name="message">What failed.</param>
    public ZoomOAuthException(string message)
        : base(message)
    {
        Error = "unknown";
    }

    /// <summary>An unknown failure with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ZoomOAuthException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = "unknown";
    }

    /// <summary>The HTTP status of Zoom's answer, if there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Zoom's <c>error</c> code, such as <c>invalid_grant</c>; <see cref="Unavailable"/> without an answer.</summary>
    public string Error { get; }

    /// <summary>Zoom's reason, if it gave one.</summary>
    public string? Reason { get; }
}

/// <summary>
/// No usable token for an account: never authorized, deauthorized, or its refresh token refused.
/// The message says what to do (authorize again at <c>/zoom/login</c>).
/// </summary>
public sealed class ZoomNotAuthorizedException : Exception
{
    /// <summary>No usable token.</summary>
    public ZoomNotAuthorizedException()
    {
    }

    /// <summary>No usable token, with what to do.</summary>
    /// <param name="message">What to do.</param>
    public ZoomNotAuthorizedException(string message)
        : base(message)
    {
    }

    /// <summary>No usable token, with what to do and the cause.</summary>
    /// <param name="message">What to do.</param>
    /// <param name="innerException">The cause.</param>
    public ZoomNotAuthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
