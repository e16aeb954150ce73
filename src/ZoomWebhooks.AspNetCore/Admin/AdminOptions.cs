namespace ZoomWebhooks;

/// <summary>The <c>Admin</c> section. No key, no admin or read API: those endpoints answer 404.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section: <c>Admin</c>.</summary>
    public const string SectionName = "Admin";

    /// <summary><c>Admin:ApiKey</c>: the bearer key of the admin and read API. Absent: those routes answer 404.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Wrong keys tolerated per client address per minute before it gets 429.</summary>
    public int FailuresPerMinute { get; set; } = 10;
}
