using ZoomWebhooks.Meetings;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Recordings;

namespace ZoomWebhooks.Inbox.Postgres;

/// <summary>
/// The PostgreSQL schema, one migration per version (recorded in <c>inbox_schema_version</c>),
/// and the claim. Same table, columns and status values as the SQLite inbox; times stay integers
/// (ms since the epoch) so both providers share their statements and take "now" from the
/// service's <see cref="TimeProvider"/>, never from the database clock.
/// </summary>
internal static class PostgresSchema
{
    // Advisory lock keys are global to a database; every receiver uses the same constants.
    // 0x5A6F6F6D is "Zoom" in ASCII, to stay clear of other applications' keys.
    public const long MigrationLock = 0x5A6F6F6D_00000001;
    public const long ClaimLock = 0x5A6F6F6D_00000002;

    /// <summary>
    /// The class of the per-key locks (the two-integer form, a key space apart from the ones
    /// above): <c>pg_advisory_xact_lock(KeyLock, hashtext(ordering_key))</c>. An accept and a
    /// settle of one key take it, so one sees the other's row (<see cref="InboxSql.Promote"/>).
    /// Keys that share a hash only wait for each other a moment.
    /// </summary>
    public const int KeyLock = 0x5A6F6F6D;

    public static readonly string LockKey = $"SELECT pg_advisory_xact_lock({KeyLock}, hashtext(@ordering_key));";

    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS inbox_schema_version (
            version    integer     PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    public const string CurrentVersion = "SELECT coalesce(max(version), 0) FROM inbox_schema_version;";

    public const string RecordVersion = "INSERT INTO inbox_schema_version (version) VALUES (@version);";

    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE inbox_events (
            id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_name      text    NOT NULL,
            event_ts        bigint  NOT NULL,
            meeting_uuid    text,
            request_id      text,
            tracking_id     text,
            body_hash       text    NOT NULL,
            body            bytea   NOT NULL,
            received_at     bigint  NOT NULL,
            status          text    NOT NULL CHECK (status IN ('pending', 'processing', 'done', 'dead')),
            attempts        integer NOT NULL DEFAULT 0,
            next_attempt_at bigint  NOT NULL,
            lease_until     bigint,
            lease_token     text,
            last_error      text,
            completed_at    bigint
        );
        CREATE UNIQUE INDEX ux_inbox_events_request_id ON inbox_events (request_id) WHERE request_id IS NOT NULL;
        CREATE UNIQUE INDEX ux_inbox_events_body_hash ON inbox_events (body_hash);
        -- Partial: done and dead rows pile up over time, the claim only ever looks at live ones.
        CREATE INDEX ix_inbox_events_due ON inbox_events (status, next_attempt_at) WHERE status IN ('pending', 'processing');
        CREATE INDEX ix_inbox_events_meeting ON inbox_events (meeting_uuid, event_ts)
            WHERE meeting_uuid IS NOT NULL AND status IN ('pending', 'processing');
        """,
        // 2: meeting activity's facts (Meetings/MeetingSchema.cs).
        MeetingSchema.PostgresFactsTable,
        // 3: OAuth tokens (OAuth/TokenSchema.cs), the same table as SQLite's migration 4 (issue 9).
        TokenSchema.TokenTable,
        // 4: used OAuth login states (OAuth/TokenSchema.cs), the same table as SQLite's migration 6 (issue 13).
        TokenSchema.UsedStateTable,
        // 5: the W3C traceparent of the accept, the same column as SQLite's migration 7 (issue 19).
        InboxSql.AddTraceParent,
        // 6: the ordering key and its head marker, the same as SQLite's migration 8 (issue 15).
        InboxSql.AddOrdering,
        // 7: whether a meeting fact is a meeting's or a webinar's (Meetings/MeetingSchema.cs; issue 15).
        MeetingSchema.AddMeetingKind,
        // 8: the dashboard's dead-event index and failed-attempt history, as SQLite's migration 10 (Dashboard/DashboardSchema.cs, issue 16).
        Dashboard.DashboardSchema.PostgresAttempts,
        // 9: Cloud recordings' download jobs, the same table as SQLite's migration 11 (Recordings/RecordingSchema.cs, issue 17).
        RecordingSchema.PostgresJobsTable,
        // 10: how the event arrived, the same column as SQLite's migration 12 (issue 18).
        InboxSql.AddTransport,
        // 11: one row per meeting, the same as SQLite's migration 13 (Meetings/MeetingSchema.cs).
        MeetingSchema.PostgresSummaries,
        // 12: the recordings page's indexes, the same as SQLite's migration 14 (Recordings/RecordingSchema.cs).
        RecordingSchema.ListIndexes,
        // 13: the request id's unique index by the request key, the same rule as SQLite's migration 18 (issue 15).
        RequestKey,
    ];

    /// <summary>
    /// The request key of <see cref="Sqlite.SqliteSchema.RequestKey"/>: the unique index on the
    /// request id becomes one on <see cref="IncomingEvent.RequestKey"/>, so that both providers
    /// keep the same dedup rule. Rows stored before take their body's top-level integer
    /// <c>event_ts</c> as the receiver read it (0 for a body without one, or one that is not
    /// JSON; the column may be a stand-in). PostgreSQL before 16 has no <c>IS JSON</c>, so the
    /// reading is a function of this session that answers 0 where a cast fails.
    /// </summary>
    public const string RequestKey = """
        ALTER TABLE inbox_events ADD COLUMN request_key bytea;
        CREATE FUNCTION pg_temp.zoomwebhooks_event_ts(body bytea) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            value json;
        BEGIN
            value := convert_from(body, 'UTF8')::json -> 'event_ts';
            RETURN CASE WHEN json_typeof(value) = 'number' THEN (value #>> '{}')::bigint ELSE 0 END;
        EXCEPTION WHEN others THEN
            RETURN 0;
        END;
        $$;
        UPDATE inbox_events SET request_key = int8send(pg_temp.zoomwebhooks_event_ts(body)) || convert_to(request_id, 'UTF8')
            WHERE request_id IS NOT NULL;
        DROP FUNCTION pg_temp.zoomwebhooks_event_ts(bytea);
        CREATE UNIQUE INDEX ux_inbox_events_request_key ON inbox_events (request_key) WHERE request_key IS NOT NULL;
        DROP INDEX ux_inbox_events_request_id;
        """;

    /// <summary><see cref="InboxSql.AcceptWith"/> with the <see cref="RequestKey"/>.</summary>
    public static readonly string Accept = InboxSql.AcceptWith(", request_key", ", @request_key");

    /// <summary>
    /// Leases due heads (<see cref="InboxSql.Due"/>). <c>SKIP LOCKED</c> passes over rows another statement holds (a settle in
    /// flight) instead of queueing behind them. It is not enough for per-key order on its own:
    /// under READ COMMITTED a claim does not see another instance's uncommitted claim, so with a
    /// late event of an earlier <c>event_ts</c> arriving meanwhile two instances could each lease
    /// one event of the same key. Claims therefore run one at a time under
    /// <see cref="ClaimLock"/> (taken in the same transaction, just before this statement, whose
    /// snapshot then includes every earlier claim). A claim lasts milliseconds; dispatch runs
    /// outside it.
    /// </summary>
    public static readonly string Claim = $"""
        WITH due AS (
            SELECT e.id AS due_id FROM inbox_events e
            WHERE e.ordering_head = 1 AND e.status IN ('pending', 'processing')
              AND {InboxSql.Due("inbox_events o")}
            ORDER BY e.event_ts, e.id
            LIMIT @limit
            FOR UPDATE OF e SKIP LOCKED)
        UPDATE inbox_events
        SET {InboxSql.ClaimSet}
        FROM due
        WHERE id = due.due_id
        RETURNING {InboxSql.ClaimedColumns};
        """;

    /// <summary>
    /// Copies a row from a SQLite inbox. A row leased there ('processing') comes back 'pending':
    /// the receiver that held it is gone. Conflicts on the dedup keys skip the row, so repeating an
    /// import, or running it from several receivers at once, copies each event once. Every row
    /// comes in as a head of its key (<see cref="InboxSql.AddOrdering"/>): the claim passes over
    /// those that are not yet due.
    /// </summary>
    public const string Import = """
        INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, request_id, tracking_id, body_hash, body, received_at,
                                  status, attempts, next_attempt_at, last_error, completed_at, trace_parent, ordering_key, ordering_head, transport,
                                  request_key)
        VALUES (@event_name, @event_ts, @meeting_uuid, @request_id, @tracking_id, @body_hash, @body, @received_at,
                CASE WHEN @status = 'processing' THEN 'pending' ELSE @status END, @attempts, @next_attempt_at, @last_error, @completed_at,
                @trace_parent, @ordering_key, 1, @transport, @request_key)
        ON CONFLICT DO NOTHING
        RETURNING id;
        """;
}
