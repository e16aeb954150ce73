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
}
