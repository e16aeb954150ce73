namespace ZoomWebhooks.Inbox;

/// <summary>
/// The statements SQLite and PostgreSQL both understand as written (same table, same columns,
/// ms-since-epoch integers, <c>@name</c> parameters). Only schema creation, the claim and the
/// connection differ between the providers.
/// </summary>
internal static class InboxSql
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the accept span (or of the request, with no tracing SDK):
    /// each dispatch attempt's span is its child, hours later, so one trace covers the delivery,
    /// every attempt and every handler. Null for rows stored before it, and without a trace.
    /// </summary>
    public const string AddTraceParent = "ALTER TABLE inbox_events ADD COLUMN trace_parent TEXT;";

    /// <summary>How the event reached the inbox: <c>webhook</c> (Zoom's POST, and every older row) or <c>websocket</c> (issue 18).</summary>
    public const string AddTransport = "ALTER TABLE inbox_events ADD COLUMN transport TEXT NOT NULL DEFAULT 'webhook';";

    /// <summary>
    /// The unique indexes on <c>request_id</c> and <c>body_hash</c> make a repeat a no-op: one
    /// statement, so two receivers storing Zoom's retry at the same moment keep one row and the
    /// loser sees no id (duplicate) instead of an error.
    /// </summary>
    public const string Accept = """
        INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, request_id, tracking_id, body_hash, body,
                                  received_at, status, attempts, next_attempt_at, trace_parent, transport)
        VALUES (@event_name, @event_ts, @meeting_uuid, @request_id, @tracking_id, @body_hash, @body,
                @received_at, 'pending', 0, @received_at, @trace_parent, @transport)
        ON CONFLICT DO NOTHING
        RETURNING id;
        """;

    /// <summary>
    /// Which rows a claim may take (alias <c>e</c>). An event of a meeting is due only when no
    /// earlier event of that meeting is still waiting or in flight, and no other event of it is in
    /// flight: per-meeting order by <c>event_ts</c>, one at a time, since Zoom does not order its
    /// deliveries. The top-level <c>o.status IN</c> term repeats what the branches say so that
    /// both databases look only at the meeting's live events (the partial meeting index): without
    /// it SQLite walked every finished event of the meeting for each candidate, and a meeting with
    /// 2,000 events drained at 12 a second (issue 7).
    /// </summary>
    public const string Due = """
        ((e.status = 'pending' AND e.next_attempt_at <= @now)
         OR (e.status = 'processing' AND e.lease_until <= @now))
        AND (e.meeting_uuid IS NULL OR NOT EXISTS (
            SELECT 1 FROM inbox_events o
            WHERE o.meeting_uuid = e.meeting_uuid AND o.id <> e.id
              AND o.status IN ('pending', 'processing')
              AND ((o.status = 'processing' AND o.lease_until > @now)
                   OR o.event_ts < e.event_ts OR (o.event_ts = e.event_ts AND o.id < e.id))))
        """;

    /// <summary>Columns a claim returns, in the order <see cref="AdoNetInbox"/> reads them.</summary>
    public const string ClaimedColumns = "id, event_name, event_ts, meeting_uuid, request_id, body, attempts, received_at, trace_parent";

    public const string ClaimSet = "status = 'processing', attempts = attempts + 1, lease_until = @lease_until, lease_token = @lease_token";

    // Every settle statement checks the lease token: a dispatcher whose lease expired and was
    // taken over must not overwrite the new owner's outcome.
    private const string Owned = "WHERE id = @id AND lease_token = @lease_token AND status = 'processing';";

    /// <summary>Pushes a lease further for the events still held under it (see <see cref="IInbox.RenewAsync"/>).</summary>
    public const string Renew =
        "UPDATE inbox_events SET lease_until = @lease_until WHERE lease_token = @lease_token AND status = 'processing';";

    public const string Complete =
        "UPDATE inbox_events SET status = 'done', completed_at = @at, last_error = NULL, lease_until = NULL, lease_token = NULL " + Owned;

    public const string Reschedule =
        "UPDATE inbox_events SET status = 'pending', next_attempt_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL " + Owned;

    public const string MarkDead =
        "UPDATE inbox_events SET status = 'dead', completed_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL " + Owned;

    // CASE rather than MAX/GREATEST: the two dialects name that function differently.
    public const string Release =
        "UPDATE inbox_events SET status = 'pending', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, " +
        "next_attempt_at = @at, lease_until = NULL, lease_token = NULL " + Owned;

    /// <summary>Every column, in the order <see cref="AdoNetInbox"/> reads an <see cref="InboxEntry"/>.</summary>
    public const string EntryColumns = """
        id, event_name, event_ts, meeting_uuid, request_id, tracking_id, body_hash, body, received_at,
        status, attempts, next_attempt_at, lease_until, last_error, completed_at, trace_parent
        """;

    public const string Find = $"SELECT {EntryColumns} FROM inbox_events WHERE id = @id;";

    public const string All = $"SELECT {EntryColumns} FROM inbox_events ORDER BY id;";

    public const string Ping = "SELECT count(*) FROM inbox_events WHERE 1 = 0;";

    // Optional filters are cast so PostgreSQL can type a parameter that arrives as NULL.
    public const string SummaryColumns =
        "id, event_name, event_ts, meeting_uuid, request_id, received_at, status, attempts, next_attempt_at, last_error, completed_at";

    public const string List = $"""
        SELECT {SummaryColumns} FROM inbox_events
        WHERE (CAST(@status AS TEXT) IS NULL OR status = @status)
          AND (CAST(@event_name AS TEXT) IS NULL OR event_name = @event_name)
          AND (CAST(@since AS BIGINT) IS NULL OR received_at >= @since)
          AND (CAST(@before_id AS BIGINT) IS NULL OR id < @before_id)
        ORDER BY id DESC
        LIMIT @limit;
        """;

    /// <summary>Finished events back to pending, as if new: attempts reset, error cleared.</summary>
    public const string Replay = """
        UPDATE inbox_events
        SET status = 'pending', attempts = 0, next_attempt_at = @now, last_error = NULL,
            lease_until = NULL, lease_token = NULL, completed_at = NULL
        WHERE status IN ('done', 'dead')
          AND (CAST(@id AS BIGINT) IS NULL OR id = @id)
          AND (CAST(@status AS TEXT) IS NULL OR status = @status)
          AND (CAST(@event_name AS TEXT) IS NULL OR event_name = @event_name);
        """;

    public const string Delete = """
        DELETE FROM inbox_events
        WHERE status = @status AND status IN ('done', 'dead') AND completed_at < @before;
        """;

    public const string CountByStatus = "SELECT status, count(*) FROM inbox_events GROUP BY status;";
}
