namespace ZoomWebhooks.Meetings;

/// <summary>
/// Meeting activity's table: facts only ever added, a repeat is a no-op by key. It is migration 2
/// of the one database on both providers; the inbox's schema runs the migrations in order.
/// </summary>
internal static class MeetingSchema
{
    public const string SqliteFactsTable = """
        CREATE TABLE meeting_facts (
            meeting_uuid        TEXT    NOT NULL,
            kind                TEXT    NOT NULL CHECK (kind IN ('started', 'ended', 'joined', 'left')),
            participant_key     TEXT    NOT NULL,
            occurred_at         INTEGER NOT NULL,
            event_ts            INTEGER NOT NULL,
            inbox_id            INTEGER NOT NULL,
            meeting_id          TEXT,
            topic               TEXT,
            host_id             TEXT,
            account_id          TEXT,
            meeting_start       INTEGER,
            participant_name    TEXT,
            user_id             TEXT,
            participant_user_id TEXT,
            email               TEXT,
            PRIMARY KEY (meeting_uuid, kind, participant_key, occurred_at)
        );
        """;

    public const string PostgresFactsTable = """
        CREATE TABLE meeting_facts (
            meeting_uuid        text    NOT NULL,
            kind                text    NOT NULL CHECK (kind IN ('started', 'ended', 'joined', 'left')),
            participant_key     text    NOT NULL,
            occurred_at         bigint  NOT NULL,
            event_ts            bigint  NOT NULL,
            inbox_id            bigint  NOT NULL,
            meeting_id          text,
            topic               text,
            host_id             text,
            account_id          text,
            meeting_start       bigint,
            participant_name    text,
            user_id             text,
            participant_user_id text,
            email               text,
            PRIMARY KEY (meeting_uuid, kind, participant_key, occurred_at)
        );
        """;

    /// <summary>
    /// Whether a fact's uuid is a meeting's or a webinar's (issue 15); the same on both providers.
    /// Facts stored before it are meetings': only meeting events were recorded then.
    /// </summary>
    public const string AddMeetingKind = "ALTER TABLE meeting_facts ADD COLUMN meeting_kind TEXT NOT NULL DEFAULT 'meeting';";

    // The listing's rules (MeetingProjection.Summarize): the greatest of each text value, the
    // earliest stated start and earliest fact, the latest end. A CASE, not MAX/GREATEST: SQLite's
    // two-argument max() is NULL when either is, PostgreSQL's GREATEST ignores NULLs.
    private static string Greatest(string column) =>
        $"CASE WHEN excluded.{column} IS NULL THEN meeting_summaries.{column} " +
        $"WHEN meeting_summaries.{column} IS NULL OR excluded.{column} > meeting_summaries.{column} THEN excluded.{column} ELSE meeting_summaries.{column} END";

    private static string Least(string column) =>
        $"CASE WHEN excluded.{column} IS NULL THEN meeting_summaries.{column} " +
        $"WHEN meeting_summaries.{column} IS NULL OR excluded.{column} < meeting_summaries.{column} THEN excluded.{column} ELSE meeting_summaries.{column} END";

    /// <summary>Folds the new fact (<c>NEW</c>) into its meeting's summary row, creating it on the first fact.</summary>
    private static readonly string Fold = $"""
        INSERT INTO meeting_summaries (meeting_uuid, meeting_id, topic, host_id, account_id, meeting_start, first_at, ended_at, meeting_kind, begin_at)
        VALUES (NEW.meeting_uuid, NEW.meeting_id, NEW.topic, NEW.host_id, NEW.account_id, NEW.meeting_start, NEW.occurred_at,
                CASE WHEN NEW.kind = 'ended' THEN NEW.occurred_at END, NEW.meeting_kind, COALESCE(NEW.meeting_start, NEW.occurred_at))
        ON CONFLICT (meeting_uuid) DO UPDATE SET
            meeting_id = {Greatest("meeting_id")}, topic = {Greatest("topic")}, host_id = {Greatest("host_id")},
            account_id = {Greatest("account_id")}, meeting_start = {Least("meeting_start")}, first_at = {Least("first_at")},
            ended_at = {Greatest("ended_at")}, meeting_kind = {Greatest("meeting_kind")},
            begin_at = COALESCE({Least("meeting_start")}, {Least("first_at")});
        """;

    // True when the summary already says all the new fact could add: most facts (a participant's
    // join or leave) change nothing, and then the row is not written, so a webinar's storm of joins
    // does not queue on its one summary row.
    private const string Covered = """
        EXISTS (SELECT 1 FROM meeting_summaries s WHERE s.meeting_uuid = NEW.meeting_uuid
            AND (NEW.meeting_id IS NULL OR s.meeting_id >= NEW.meeting_id) AND (NEW.topic IS NULL OR s.topic >= NEW.topic)
            AND (NEW.host_id IS NULL OR s.host_id >= NEW.host_id) AND (NEW.account_id IS NULL OR s.account_id >= NEW.account_id)
            AND (NEW.meeting_start IS NULL OR s.meeting_start <= NEW.meeting_start) AND s.first_at <= NEW.occurred_at
            AND (NEW.kind <> 'ended' OR s.ended_at >= NEW.occurred_at) AND s.meeting_kind >= NEW.meeting_kind)
        """;

    // A meeting's facts go together (a deauthorization deletes by uuid), and its row with the last of them.
    private const string Forget =
        "DELETE FROM meeting_summaries WHERE meeting_uuid = OLD.meeting_uuid AND NOT EXISTS (SELECT 1 FROM meeting_facts WHERE meeting_uuid = OLD.meeting_uuid);";

    // Meetings recorded before the table: the listing's old GROUP BY, once.
    private const string Backfill = """
        INSERT INTO meeting_summaries (meeting_uuid, meeting_id, topic, host_id, account_id, meeting_start, first_at, ended_at, meeting_kind, begin_at)
        SELECT meeting_uuid, MAX(meeting_id), MAX(topic), MAX(host_id), MAX(account_id), MIN(meeting_start), MIN(occurred_at),
               MAX(CASE WHEN kind = 'ended' THEN occurred_at END), MAX(meeting_kind), COALESCE(MIN(meeting_start), MIN(occurred_at))
        FROM meeting_facts GROUP BY meeting_uuid;
        """;

    // Newest first, one index per listing: all, live (no end known), ended.
    private const string Indexes = """
        CREATE INDEX ix_meeting_summaries_begin ON meeting_summaries (begin_at DESC, meeting_uuid);
        CREATE INDEX ix_meeting_summaries_live ON meeting_summaries (begin_at DESC, meeting_uuid) WHERE ended_at IS NULL;
        CREATE INDEX ix_meeting_summaries_ended ON meeting_summaries (begin_at DESC, meeting_uuid) WHERE ended_at IS NOT NULL;
        """;

    /// <summary>
    /// One row per meeting, what the listings read instead of grouping every fact (issue 16: a page
    /// view never scans the table). Kept by a trigger in the statement, so the transaction, that
    /// adds a fact; <c>begin_at</c> is the sort key, the stated start else the earliest fact.
    /// </summary>
    public static readonly string SqliteSummaries = $"""
        CREATE TABLE meeting_summaries (
            meeting_uuid  TEXT    PRIMARY KEY,
            meeting_id    TEXT,
            topic         TEXT,
            host_id       TEXT,
            account_id    TEXT,
            meeting_start INTEGER,
            first_at      INTEGER NOT NULL,
            ended_at      INTEGER,
            meeting_kind  TEXT    NOT NULL,
            begin_at      INTEGER NOT NULL
        );
        {Backfill}
        {Indexes}
        CREATE TRIGGER tr_meeting_summaries_fold AFTER INSERT ON meeting_facts
            WHEN NOT {Covered}
        BEGIN
            {Fold}
        END;
        CREATE TRIGGER tr_meeting_summaries_forget AFTER DELETE ON meeting_facts
        BEGIN
            {Forget}
        END;
        """;

    /// <summary>The same table as <see cref="SqliteSummaries"/>, its triggers as PL/pgSQL functions.</summary>
    public static readonly string PostgresSummaries = $"""
        CREATE TABLE meeting_summaries (
            meeting_uuid  text    PRIMARY KEY,
            meeting_id    text,
            topic         text,
            host_id       text,
            account_id    text,
            meeting_start bigint,
            first_at      bigint  NOT NULL,
            ended_at      bigint,
            meeting_kind  text    NOT NULL,
            begin_at      bigint  NOT NULL
        );
        {Backfill}
        {Indexes}
        CREATE FUNCTION meeting_summaries_fold() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT {Covered} THEN
                {Fold}
            END IF;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER tr_meeting_summaries_fold AFTER INSERT ON meeting_facts
            FOR EACH ROW EXECUTE FUNCTION meeting_summaries_fold();
        CREATE FUNCTION meeting_summaries_forget() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {Forget}
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER tr_meeting_summaries_forget AFTER DELETE ON meeting_facts
            FOR EACH ROW EXECUTE FUNCTION meeting_summaries_forget();
        """;
}
