using ZoomWebhooks.Meetings;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Recordings;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>The SQLite schema, one migration per version (kept in <c>PRAGMA user_version</c>), and the claim query.</summary>
internal static class SqliteSchema
{
    /// <summary>
    /// <see cref="InboxSql.Promote"/> as a trigger: when an event is finished (its
    /// <c>completed_at</c> set, by a settle to done or dead), the next event of its key becomes
    /// its head in the same statement. A settle is then one statement, which SQLite backs out whole
    /// when it fails, so the group commit runs it without a savepoint of its own (four statements
    /// per settle became one). And no path that finishes an event can forget the promotion.
    /// </summary>
    // Before Migrations, which lists it: static fields are set in the order they are written.
    public static readonly string PromoteOnFinish = $"""
        CREATE TRIGGER tr_inbox_events_promote AFTER UPDATE OF completed_at ON inbox_events
            WHEN OLD.completed_at IS NULL AND NEW.completed_at IS NOT NULL AND NEW.ordering_key IS NOT NULL
        BEGIN
            {InboxSql.PromoteOf("NEW.ordering_key")}
        END;
        """;

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE inbox_events (
            id              INTEGER PRIMARY KEY AUTOINCREMENT,
            event_name      TEXT    NOT NULL,
            event_ts        INTEGER NOT NULL,
            meeting_uuid    TEXT,
            request_id      TEXT,
            tracking_id     TEXT,
            body_hash       TEXT    NOT NULL,
            body            BLOB    NOT NULL,
            received_at     INTEGER NOT NULL,
            status          TEXT    NOT NULL CHECK (status IN ('pending', 'processing', 'done', 'dead')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_until     INTEGER,
            lease_token     TEXT,
            last_error      TEXT,
            completed_at    INTEGER
        );
        CREATE UNIQUE INDEX ux_inbox_events_request_id ON inbox_events (request_id) WHERE request_id IS NOT NULL;
        CREATE UNIQUE INDEX ux_inbox_events_body_hash ON inbox_events (body_hash);
        CREATE INDEX ix_inbox_events_due ON inbox_events (status, next_attempt_at);
        CREATE INDEX ix_inbox_events_meeting ON inbox_events (meeting_uuid, event_ts) WHERE meeting_uuid IS NOT NULL;
        """,
        // 2: meeting activity's facts (Meetings/MeetingSchema.cs).
        MeetingSchema.SqliteFactsTable,
        // 3: the claim walks waiting events in event_ts order and stops at its limit, instead of
        // sorting every due row on each claim: 48 ms -> 2 ms per claim with 20,000 waiting (issue 7).
        """
        CREATE INDEX ix_inbox_events_claim ON inbox_events (event_ts, id) WHERE status IN ('pending', 'processing');
        """,
        // 4: OAuth tokens (OAuth/TokenSchema.cs), one row per Zoom account and user (issue 9).
        TokenSchema.TokenTable,
        // 5: the per-meeting order check only needs a meeting's live events, as on PostgreSQL.
        // Indexing finished ones too made each claim walk them: a meeting of 2,000 events drained
        // at 12 a second, slower with every event done (issue 7).
        """
        DROP INDEX ix_inbox_events_meeting;
        CREATE INDEX ix_inbox_events_meeting ON inbox_events (meeting_uuid, event_ts)
            WHERE meeting_uuid IS NOT NULL AND status IN ('pending', 'processing');
        """,
        // 6: used OAuth login states (OAuth/TokenSchema.cs): a state is good for one callback,
        // across receivers, even when its cookie is sent again (issue 13).
        TokenSchema.UsedStateTable,
        // 7: the W3C traceparent of the accept, so every dispatch attempt continues the delivery's trace (issue 19).
        InboxSql.AddTraceParent,
        // 8: the ordering key chosen at accept and its head marker; the claim walks heads, so its
        // old index over every waiting event goes (issue 15).
        InboxSql.AddOrdering + "DROP INDEX ix_inbox_events_claim;",
        // 9: whether a meeting fact is a meeting's or a webinar's (Meetings/MeetingSchema.cs; issue 15).
        MeetingSchema.AddMeetingKind,
        // 10: the dashboard's dead-event index and failed-attempt history (Dashboard/DashboardSchema.cs, issue 16).
        Dashboard.DashboardSchema.SqliteAttempts,
        // 11: Cloud recordings' download jobs (Recordings/RecordingSchema.cs), one row per file (issue 17).
        RecordingSchema.SqliteJobsTable,
        // 12: how the event arrived, webhook or websocket (issue 18).
        InboxSql.AddTransport,
        // 13: one row per meeting, kept by triggers on meeting_facts, so the listings page through an index (Meetings/MeetingSchema.cs).
        MeetingSchema.SqliteSummaries,
        // 14: the dashboard's recordings page pages the jobs newest first through an index (Recordings/RecordingSchema.cs).
        RecordingSchema.ListIndexes,
        // 15: the ordering indexes keep a row while it is unfinished (completed_at IS NULL) rather
        // than while its status is pending or processing. The same rows, but a claim, a retry or
        // a release changes status only, and SQLite rewrites a partial index's entry whenever a
        // column of its WHERE is set: three B-tree writes fewer per claim (issue 15).
        InboxSql.OrderingByCompletion,
        // 16: the body's dedup key leads with its event_ts, so a new key lands beside recent ones (issue 15).
        DedupKey,
        // 17: a finished event's key gets its next head from a trigger, in the settle's own statement (issue 15).
        PromoteOnFinish,
        // 18: the request id's unique index leads with the event's time, as the body's did in 16 (issue 15).
        RequestKey,
    ];

    /// <summary>
    /// The unique index on the body, by <see cref="IncomingEvent.DedupKey"/> instead of the hex
    /// <c>body_hash</c>. Same bodies, same key, so the rule is unchanged. A SHA-256 is a random
    /// value, and so each accept wrote one page of its own into the index: about 4 KB of WAL and
    /// as much again at the checkpoint, a third of what an accept wrote (issue 15). Led by the
    /// body's <c>event_ts</c>, the keys of events arriving together share the last pages, and a key
    /// is 40 bytes instead of 64 characters. Rows stored before take the key their body gives, its
    /// top-level integer <c>event_ts</c> read from the body itself (the stored column may be the
    /// receiver's stand-in for a body without one), as <c>WebhookEnvelope</c> reads it: the last
    /// member of that name (<c>json_extract</c> would take the first), when it is a JSON integer
    /// (not <c>true</c>, whose value is 1) that fits 64 bits (SQLite's JSON gives a real for one
    /// that does not).
    /// </summary>
    public const string DedupKey = """
        ALTER TABLE inbox_events ADD COLUMN dedup_key BLOB;
        UPDATE inbox_events SET dedup_key = unhex(printf('%016x',
            CASE WHEN json_valid(CAST(body AS TEXT))
                 THEN COALESCE((SELECT CASE WHEN j.type = 'integer' AND typeof(j.value) = 'integer' THEN j.value ELSE 0 END
                                FROM json_each(CAST(body AS TEXT)) j WHERE j.key = 'event_ts' ORDER BY j.id DESC LIMIT 1), 0)
                 ELSE 0 END) || body_hash);
        CREATE UNIQUE INDEX ux_inbox_events_dedup_key ON inbox_events (dedup_key);
        DROP INDEX ux_inbox_events_body_hash;
        """;

    /// <summary>
    /// The unique index on the request id, by <see cref="IncomingEvent.RequestKey"/> (the body's
    /// <c>event_ts</c>, then the id) instead of the id alone. Zoom's request ids are random GUIDs,
    /// so each accept wrote a page of its own into that index, as it did into the body's before
    /// <see cref="DedupKey"/>: 1.2 of the 4 to 6 pages an accept wrote to the WAL (issue 15).
    /// The rule narrows from "the same id" to "the same id for the same event time": Zoom's
    /// retries repeat the id with a byte-identical body, and so are found by either key as before.
    /// A stored row's key takes the first 8 bytes of its dedup key, which are its body's
    /// <c>event_ts</c> (through hex: SQLite's <c>||</c> makes text, which never equals a blob).
    /// </summary>
    public const string RequestKey = """
        ALTER TABLE inbox_events ADD COLUMN request_key BLOB;
        UPDATE inbox_events SET request_key = unhex(hex(substr(dedup_key, 1, 8)) || hex(request_id)) WHERE request_id IS NOT NULL;
        CREATE UNIQUE INDEX ux_inbox_events_request_key ON inbox_events (request_key) WHERE request_key IS NOT NULL;
        DROP INDEX ux_inbox_events_request_id;
        """;

    /// <summary><see cref="InboxSql.AcceptWith"/> with the <see cref="DedupKey"/> and the <see cref="RequestKey"/>.</summary>
    public static readonly string Accept = InboxSql.AcceptWith(", dedup_key, request_key", ", @dedup_key, @request_key");

    /// <summary>
    /// Leases due heads (<see cref="InboxSql.Due"/>), oldest <c>event_ts</c> first. INDEXED BY and the
    /// redundant <c>status IN</c> terms keep SQLite's planner on the partial indexes of heads: left
    /// to itself it may prefer the status index and sort every due row, or check a key's order
    /// against all its waiting events.
    /// </summary>
    public static readonly string Claim = $"""
        UPDATE inbox_events
        SET {InboxSql.ClaimSet}
        WHERE id IN (
            SELECT e.id FROM inbox_events e INDEXED BY ix_inbox_events_heads
            WHERE e.ordering_head = 1 AND e.completed_at IS NULL AND e.status IN ('pending', 'processing')
              AND {InboxSql.Due("inbox_events o INDEXED BY ix_inbox_events_key")}
            ORDER BY e.event_ts, e.id
            LIMIT @limit)
        RETURNING {InboxSql.ClaimedColumns};
        """;
}
