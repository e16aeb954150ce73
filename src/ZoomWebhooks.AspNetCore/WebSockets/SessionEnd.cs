namespace ZoomWebhooks.WebSockets;

/// <summary>Why a connection ended (the <c>reason</c> label of the disconnect metric), and whether it had been up.</summary>
internal sealed record SessionEnd(string Reason, bool WasConnected, TimeSpan ConnectedFor, string? Detail = null)
{
    public const string Closed = "closed";
    public const string Error = "error";
    public const string ConnectFailed = "connect_failed";
    public const string TokenRefused = "token_refused";
    public const string TokenUnavailable = "token_unavailable";
    public const string Silent = "silent";
    public const string InboxUnavailable = "inbox_unavailable";
    public const string Stopped = "stopped";
}
