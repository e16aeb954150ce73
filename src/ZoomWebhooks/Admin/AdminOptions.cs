namespace ZoomWebhooks.Admin;

/// <summary>The <c>Admin</c> section. No key, no admin or read API: those endpoints answer 404.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public string? ApiKey { get; set; }

    /// <summary>Wrong keys tolerated per client address per minute before it gets 429.</summary>
    public int FailuresPerMinute { get; set; } = 10;
}
