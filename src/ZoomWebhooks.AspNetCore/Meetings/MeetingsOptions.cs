namespace ZoomWebhooks;

/// <summary>The <c>Meetings</c> section: what the meeting activity handlers keep.</summary>
public sealed class MeetingsOptions
{
    /// <summary>The configuration section: <c>Meetings</c>.</summary>
    public const string SectionName = "Meetings";

    /// <summary>
    /// Participant emails are personal data: kept only when an operator opts in, and never logged
    /// either way. Off by default.
    /// </summary>
    public bool StoreEmails { get; set; }
}
