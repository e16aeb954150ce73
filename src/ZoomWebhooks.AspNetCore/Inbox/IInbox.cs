namespace ZoomWebhooks.Inbox;

/// <summary>
/// The durable store between Zoom and the handlers. An event is acknowledged to Zoom only after
/// <see cref="AcceptAsync"/> returns; from then on it is dispatched at least once or kept as dead.
/// Two providers implement it: SQLite (embedded, one node) and PostgreSQL (several nodes).
/// </summary>
internal interface IInbox
{
    /// <summary>
    /// Creates or upgrades the schema; safe to call on every start. A store that one process has to
    /// itself (SQLite) also takes back here every lease a previous process held, so the events it
    /// was dispatching when it crashed are due at once, not when their leases run out.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores the event unless its request id or body hash is already there.</summary>
    Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> due events: pending ones whose time has come and
    /// processing ones whose lease expired. Events of one ordering key (<see cref="OrderingKeys"/>)
    /// come one at a time, oldest <c>event_ts</c> first.
    /// </summary>
    Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// The dispatcher's heartbeat: extends to <paramref name="leaseUntil"/> the lease of every event
    /// it still holds under <paramref name="leaseToken"/> (claimed with that token and neither settled
    /// since nor taken over after an expiry). Returns how many. So a handler may run longer than
    /// the lease, and a short lease still never runs out under a live dispatcher.
    /// </summary>
    Task<int> RenewAsync(string leaseToken, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Marks a leased event done. False when the lease was lost to another dispatcher.</summary>
    Task<bool> CompleteAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Puts a failed event back to pending, due at <paramref name="nextAttemptAt"/>.</summary>
    Task<bool> RescheduleAsync(ClaimedEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>Gives up on an event; it stays in the store for an operator to inspect and replay.</summary>
    Task<bool> MarkDeadAsync(ClaimedEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken);

    /// <summary>Hands a leased event back untouched (shutdown, or a lease not renewed in time): due now, the attempt not counted.</summary>
    Task<bool> ReleaseAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken);

    Task<InboxEntry?> FindAsync(long id, CancellationToken cancellationToken);

    /// <summary>Metadata of stored events, newest first, without bodies; page with <see cref="InboxQuery.BeforeId"/>.</summary>
    Task<IReadOnlyList<InboxSummary>> ListAsync(InboxQuery query, CancellationToken cancellationToken);

    /// <summary>Puts done or dead events back to pending, attempts reset; returns how many.</summary>
    Task<int> ReplayAsync(InboxSelection selection, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes done or dead events finished before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteAsync(string status, DateTimeOffset before, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>Round trip to the store, for readiness.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}

/// <summary>The states of an inbox row, as stored.</summary>
internal static class InboxStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Done = "done";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Processing, Done, Dead];

    /// <summary>States an event can be replayed or deleted from: finished ones.</summary>
    public static bool IsFinished(string? status) => status is Done or Dead;
}

/// <summary>Filters for <see cref="IInbox.ListAsync"/>; null means any.</summary>
internal sealed record InboxQuery(string? Status, string? EventName, DateTimeOffset? Since, long? BeforeId, int Limit);

/// <summary>Which finished events to replay: one by id, or all of a status (and event name).</summary>
internal sealed record InboxSelection(long? Id, string? Status, string? EventName);

/// <summary>An inbox row without its body, for listings.</summary>
internal sealed record InboxSummary(
    long Id,
    string EventName,
    long EventTs,
    string? MeetingUuid,
    string? RequestId,
    DateTimeOffset ReceivedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset? CompletedAt);

internal readonly record struct AcceptResult(bool IsNew, long? Id)
{
    public static AcceptResult Duplicate => new(false, null);
}

/// <summary>A claimed event, with the lease token that proves this dispatcher still holds it.</summary>
internal sealed record ClaimedEvent(
    long Id,
    string EventName,
    long EventTs,
    string? MeetingUuid,
    string? RequestId,
    byte[] Body,
    int Attempt,
    string LeaseToken,
    DateTimeOffset ReceivedAt,
    string? TraceParent = null,
    string? OrderingKey = null);

/// <summary>An inbox row as an operator (or a test) sees it.</summary>
internal sealed record InboxEntry(
    long Id,
    string EventName,
    long EventTs,
    string? MeetingUuid,
    string? RequestId,
    string? TrackingId,
    string BodyHash,
    byte[] Body,
    DateTimeOffset ReceivedAt,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    string? LastError,
    DateTimeOffset? CompletedAt,
    string? TraceParent = null,
    string? OrderingKey = null,
    string Transport = IncomingEvent.Webhook);
