namespace ZoomWebhooks;

/// <summary>The <c>Inbox</c> section: where events are kept and how the dispatcher works through them.</summary>
public sealed class InboxOptions
{
    /// <summary>The configuration section: <c>Inbox</c>.</summary>
    public const string SectionName = "Inbox";

    /// <summary>The connection string's name: <c>ConnectionStrings:Inbox</c>.</summary>
    public const string ConnectionStringName = "Inbox";

    /// <summary>Without <c>ConnectionStrings:Inbox</c>: a SQLite file under <c>data/</c>.</summary>
    public const string DefaultConnectionString = "Data Source=data/inbox.db";

    /// <summary><c>Inbox:Provider</c>: <c>Sqlite</c> (default, one instance) or <c>Postgres</c> (several).</summary>
    public InboxProvider Provider { get; set; } = InboxProvider.Sqlite;

    /// <summary>Dispatch attempts before an event is dead.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; it doubles with each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claim reserves an event. The dispatcher renews the lease of the events it still
    /// works on every third of this (a heartbeat), so a handler may take longer; a crashed
    /// dispatcher's events go to another instance at most this long after its last renewal (on
    /// SQLite, one process, a restart takes them back at once).
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest the dispatcher sleeps when idle; new events wake it at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Events claimed at once. A batch costs one claim commit whatever its size, and its settles
    /// share whichever commits are open when they finish, so a larger one drains faster: 16/4 drained 2,700-3,700 events/s in bench/run.sh, 64/16
    /// 3,900-6,400 (issue 7; the script measures both).
    /// </summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Events dispatched at the same time (never two of one ordering key, see <see cref="Ordering"/>).</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// <c>Inbox:Ordering</c>: which events are dispatched one at a time, in Zoom's <c>event_ts</c>
    /// order. <see cref="InboxOrdering.Participant"/> (default) orders one person's events of a
    /// meeting or webinar, and its meeting-level events among themselves; <see cref="InboxOrdering.Meeting"/>
    /// orders every event of a meeting, as before. Chosen per event when it is accepted.
    /// </summary>
    public InboxOrdering Ordering { get; set; } = InboxOrdering.Participant;

    /// <summary>How long done events are kept; dead ones are kept until replayed or purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often finished events past <see cref="Retention"/> are deleted.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A SQLite inbox (connection string) whose events a PostgreSQL inbox copies in at start, when
    /// a deployment moves from one to the other. Safe to leave set: rows already there are skipped.
    /// </summary>
    public string? ImportFrom { get; set; }

    /// <summary>The in-process Polly retries around one publish, before the event is rescheduled.</summary>
    public PublishOptions Publish { get; set; } = new();
}

/// <summary>Where the inbox keeps events.</summary>
public enum InboxProvider
{
    /// <summary>An embedded SQLite file: one instance of the service.</summary>
    Sqlite,

    /// <summary>PostgreSQL: any number of instances sharing one database.</summary>
    Postgres,
}

/// <summary>What the dispatcher keeps in order (<c>Inbox:Ordering</c>).</summary>
public enum InboxOrdering
{
    /// <summary>
    /// A participant event waits for the same participant's earlier events of that meeting or
    /// webinar; meeting-level events (started, ended, any other with a uuid) wait for that
    /// meeting's earlier meeting-level events. Everything else runs in parallel.
    /// </summary>
    Participant,

    /// <summary>Every event of a meeting or webinar waits for all of its earlier ones: one at a time per meeting.</summary>
    Meeting,
}

/// <summary>The <c>Inbox:Publish</c> section: quick in-process retries of one publish to the handlers.</summary>
public sealed class PublishOptions
{
    /// <summary>Retries after a failed publish, before the event is rescheduled in the inbox.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The first retry's delay; it doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one publish may take before it is cancelled and counts as failed.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
