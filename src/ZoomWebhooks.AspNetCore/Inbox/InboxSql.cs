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
    /// The ordering key (<see cref="OrderingKeys"/>) and the key's head marker. The claim walks
    /// heads only (<c>ix_inbox_events_heads</c>), so it reaches each key's next event directly
    /// instead of passing every waiting event of a big meeting (issue 15). A live row is marked
    /// head when it was the earliest live row of its key as it was stored, or when the row before
    /// it was finished (<see cref="Promote"/>). So the earliest live row of every key is always
    /// marked; a row marked too early (a late event that went in front of it, a replay) is only
    /// passed over by <see cref="Due"/> until its turn. Rows already stored keep their meeting's
    /// order: live ones take the meeting uuid as key, and all start as heads.
    /// </summary>
    public const string AddOrdering = """
        ALTER TABLE inbox_events ADD COLUMN ordering_key TEXT;
        ALTER TABLE inbox_events ADD COLUMN ordering_head INTEGER NOT NULL DEFAULT 1;
        UPDATE inbox_events SET ordering_key = meeting_uuid WHERE meeting_uuid IS NOT NULL AND status IN ('pending', 'processing');
        CREATE INDEX ix_inbox_events_heads ON inbox_events (event_ts, id) WHERE ordering_head = 1 AND status IN ('pending', 'processing');
        CREATE INDEX ix_inbox_events_key ON inbox_events (ordering_key, event_ts, id)
            WHERE ordering_key IS NOT NULL AND status IN ('pending', 'processing');
        CREATE INDEX ix_inbox_events_key_heads ON inbox_events (ordering_key, event_ts, id)
            WHERE ordering_key IS NOT NULL AND ordering_head = 1 AND status IN ('pending', 'processing');
        DROP INDEX ix_inbox_events_meeting;
        """;

    /// <summary>
    /// SQLite's ordering indexes (<see cref="AddOrdering"/>) over unfinished rows by
    /// <c>completed_at IS NULL</c> instead of <c>status</c>: a finished row (done or dead) has its
    /// <c>completed_at</c>, a live one (pending or processing) has none (<see cref="Replay"/> clears
    /// it; the UPDATE below mends any row stored otherwise), so they hold the same rows. Statements
    /// that read them name both terms: the status for the meaning, <c>completed_at IS NULL</c> so
    /// the planner may use the index. And one index per key, with the head marker second, instead
    /// of two (a key's live rows, a key's heads): a key's heads are its prefix, the rest is reached
    /// with <c>ordering_head IN (0, 1)</c>. Each was a B-tree keyed by a random value, so one page
    /// written per accept and per finish. PostgreSQL keeps its status-keyed pair, which the same
    /// statements still reach.
    /// </summary>
    public const string OrderingByCompletion = """
        UPDATE inbox_events SET completed_at = NULL WHERE status IN ('pending', 'processing') AND completed_at IS NOT NULL;
        DROP INDEX ix_inbox_events_heads;
        DROP INDEX ix_inbox_events_key;
        DROP INDEX ix_inbox_events_key_heads;
        CREATE INDEX ix_inbox_events_heads ON inbox_events (event_ts, id) WHERE ordering_head = 1 AND completed_at IS NULL;
        CREATE INDEX ix_inbox_events_key ON inbox_events (ordering_key, ordering_head, event_ts, id)
            WHERE ordering_key IS NOT NULL AND completed_at IS NULL;
        """;

    /// <summary>
    /// The accept, with the columns of a provider's own dedup keys: a unique index on the request
    /// key (<see cref="IncomingEvent.RequestKey"/>) and one on the body (on SQLite its
    /// <c>dedup_key</c>, on PostgreSQL <c>body_hash</c>) make a repeat a no-op: one
    /// statement, so two receivers storing Zoom's retry at the same moment keep one row and the
    /// loser sees no id (duplicate) instead of an error. The new row is its key's head unless a
    /// live row of the key comes before it (<see cref="AddOrdering"/>); every existing row has a
    /// lower id, so "before" is an <c>event_ts</c> no later than its own.
    /// </summary>
    /// <param name="column">", name" of each further column.</param>
    /// <param name="value">", @parameter" of each of their values.</param>
    public static string AcceptWith(string column, string value) => $"""
        INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, request_id, tracking_id, body_hash, body,
                                  received_at, status, attempts, next_attempt_at, trace_parent, ordering_key, ordering_head, transport{column})
        VALUES (@event_name, @event_ts, @meeting_uuid, @request_id, @tracking_id, @body_hash, @body,
                @received_at, 'pending', 0, @received_at, @trace_parent, @ordering_key,
                CASE WHEN EXISTS (
                    SELECT 1 FROM inbox_events o
                    WHERE o.ordering_key = @ordering_key AND o.ordering_head IN (0, 1) AND o.completed_at IS NULL
                      AND o.status IN ('pending', 'processing') AND o.event_ts <= @event_ts)
                THEN 0 ELSE 1 END,
                @transport{value})
        ON CONFLICT DO NOTHING
        RETURNING id;
        """;

    /// <summary>
    /// Which heads a claim may take (alias <c>e</c>). An event with an ordering key is due only
    /// when no earlier event of that key is still waiting or in flight, and no other event of it is
    /// in flight: per-key order by <c>event_ts</c>, one at a time, since Zoom does not order its
    /// deliveries. Only the key's heads need checking: the earliest live row is always one, and an
    /// event in flight was a head when it was claimed. So the check reads the one or two heads of
    /// the key (the prefix <c>ordering_key, ordering_head = 1</c> of <c>ix_inbox_events_key</c>), not the key's waiting events.
    /// </summary>
    /// <param name="heads">The FROM of the check: the table aliased <c>o</c>, with an index hint where the provider takes one.</param>
    public static string Due(string heads) => $"""
        ((e.status = 'pending' AND e.next_attempt_at <= @now)
         OR (e.status = 'processing' AND e.lease_until <= @now))
        AND (e.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM {heads}
            WHERE o.ordering_key = e.ordering_key AND o.ordering_head = 1 AND o.completed_at IS NULL AND o.status IN ('pending', 'processing')
              AND o.id <> e.id
              AND ((o.status = 'processing' AND o.lease_until > @now)
                   OR o.event_ts < e.event_ts OR (o.event_ts = e.event_ts AND o.id < e.id))))
        """;

    /// <summary>
    /// Marks the next event of a key its head once the previous one is finished (done or dead),
    /// in the same transaction as that settle. On PostgreSQL both run under the key's lock, as
    /// accepts do (<see cref="Postgres.PostgresSchema.KeyLock"/>): an accept that saw the previous
    /// event still live, and a settle that did not yet see the accepted one, would otherwise leave
    /// the key with no head.
    /// </summary>
    /// <remarks>
    /// Written as "the key's earliest live row not marked, unless a marked one comes before it",
    /// which is "the key's earliest live row, when not yet marked": each half reads one prefix
    /// of SQLite's key index in order, where the earliest of both would sort all the key's rows.
    /// </remarks>
    public static readonly string Promote = PromoteOf("@ordering_key");

    /// <summary><see cref="Promote"/> for the key <paramref name="key"/> (a parameter, or a trigger's <c>NEW.ordering_key</c>).</summary>
    public static string PromoteOf(string key) => $"""
        UPDATE inbox_events SET ordering_head = 1
        WHERE id = (SELECT o.id FROM inbox_events o
                    WHERE o.ordering_key = {key} AND o.ordering_head = 0 AND o.completed_at IS NULL
                      AND o.status IN ('pending', 'processing')
                    ORDER BY o.event_ts, o.id LIMIT 1)
          AND ordering_head = 0
          AND NOT EXISTS (
              SELECT 1 FROM inbox_events h
              WHERE h.ordering_key = {key} AND h.ordering_head = 1 AND h.completed_at IS NULL
                AND h.status IN ('pending', 'processing')
                AND (h.event_ts < inbox_events.event_ts OR (h.event_ts = inbox_events.event_ts AND h.id < inbox_events.id)));
        """;

    /// <summary>Columns a claim returns, in the order <see cref="AdoNetInbox"/> reads them.</summary>
    public const string ClaimedColumns = "id, event_name, event_ts, meeting_uuid, request_id, body, attempts, received_at, trace_parent, ordering_key";

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
        status, attempts, next_attempt_at, lease_until, last_error, completed_at, trace_parent, ordering_key, transport
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

    /// <summary>
    /// Finished events back to pending, as if new: attempts reset, error cleared. Each is marked a
    /// head: it may now be the earliest of its key, and where it is not, the claim passes it over
    /// until its turn.
    /// </summary>
    public const string Replay = """
        UPDATE inbox_events
        SET status = 'pending', attempts = 0, next_attempt_at = @now, last_error = NULL, ordering_head = 1,
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
