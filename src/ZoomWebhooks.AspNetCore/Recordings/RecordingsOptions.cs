namespace ZoomWebhooks;

/// <summary>
/// The <c>Recordings</c> section: downloading the files of <c>recording.completed</c> and
/// <c>recording.transcript_completed</c>. Off until <see cref="Path"/> is set.
/// </summary>
public sealed class RecordingsOptions
{
    /// <summary>The configuration section: <c>Recordings</c>.</summary>
    public const string SectionName = "Recordings";

    /// <summary>Zoom's download hosts, used when <see cref="AllowedHosts"/> is empty.</summary>
    internal static readonly IReadOnlyList<string> DefaultAllowedHosts = ["zoom.us", "*.zoom.us"];

    /// <summary>
    /// <c>Recordings:Path</c>: the folder files are stored under, as
    /// <c>{Path}/{account id}/{meeting uuid}/{file id}.{extension}</c>. Absent: the feature does nothing.
    /// </summary>
    public string? Path { get; set; }

    /// <summary><c>Recordings:Concurrency</c>: files downloaded at once by this process.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>
    /// <c>Recordings:AllowedHosts</c>: the only hosts a download (or a redirect of one) may go to;
    /// <c>*.zoom.us</c> matches any subdomain. Empty: <c>zoom.us</c> and <c>*.zoom.us</c>.
    /// </summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary><c>Recordings:Retries</c>: quick retries of one request after a 5xx, a timeout or a broken connection.</summary>
    public int Retries { get; set; } = 3;

    /// <summary><c>Recordings:RetryDelay</c>: the first quick retry's delay, doubled for each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>Recordings:MaxAttempts</c>: attempts of one file before it is <c>failed</c>.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary><c>Recordings:AttemptDelay</c>: the wait before a file's second attempt, doubled for each next one (at most an hour).</summary>
    public TimeSpan AttemptDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Recordings:LeaseDuration</c>: how long a claimed file stays with its worker unless renewed (every third of it).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Recordings:PollInterval</c>: how often the worker looks for due files when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the feature is on: <see cref="Path"/> is set.</summary>
    internal bool Enabled => !string.IsNullOrWhiteSpace(Path);

    internal IReadOnlyList<string> EffectiveAllowedHosts => AllowedHosts.Count == 0 ? DefaultAllowedHosts : [.. AllowedHosts];
}
