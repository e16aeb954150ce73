namespace ZoomWebhooks;

/// <summary>The <c>Admin</c> section. No key, no admin or read API: those endpoints answer 404.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section: <c>Admin</c>.</summary>
    public const string SectionName = "Admin";

    /// <summary>
    /// Shortest key accepted at start: the key guards stored payloads and replay, so it must be
    /// random and long (32 characters of base64 are 192 bits), not a word.
    /// </summary>
    internal const int MinimumKeyLength = 32;

    /// <summary><c>Admin:ApiKey</c>: the bearer key of the admin and read API. Absent: those routes answer 404.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Wrong keys tolerated per client address per minute before it gets 429.</summary>
    public int FailuresPerMinute { get; set; } = 10;
}
