namespace ZoomWebhooks.Recordings;

/// <summary>
/// The download jobs, one row per recording file keyed by Zoom's file id, in the inbox's database
/// on both providers (a migration of <c>SqliteSchema</c> and <c>PostgresSchema</c>). Times are ms
/// since the epoch from the service's clock, as in the inbox.
/// </summary>
internal static class RecordingSchema
{
    public const string SqliteJobsTable = """
        CREATE TABLE recording_jobs (
            file_id         TEXT    PRIMARY KEY,
            account_id      TEXT    NOT NULL,
            meeting_uuid    TEXT    NOT NULL,
            meeting_id      TEXT,
            topic           TEXT,
            host_id         TEXT,
            event_name      TEXT    NOT NULL,
            event_ts        INTEGER NOT NULL,
            inbox_id        INTEGER NOT NULL,
            file_type       TEXT,
            file_extension  TEXT,
            recording_type  TEXT,
            file_size       INTEGER,
            download_url    TEXT    NOT NULL,
            download_token  TEXT,
            path            TEXT    NOT NULL,
            status          TEXT    NOT NULL CHECK (status IN ('pending', 'downloading', 'downloaded', 'done', 'failed')),
            attempts        INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_until     INTEGER,
            lease_token     TEXT,
            last_error      TEXT,
            bytes           INTEGER,
            created_at      INTEGER NOT NULL,
            completed_at    INTEGER
        );
        CREATE INDEX ix_recording_jobs_due ON recording_jobs (next_attempt_at) WHERE status IN ('pending', 'downloading', 'downloaded');
        """;

    public const string PostgresJobsTable = """
        CREATE TABLE recording_jobs (
            file_id         text    PRIMARY KEY,
            account_id      text    NOT NULL,
            meeting_uuid    text    NOT NULL,
            meeting_id      text,
            topic           text,
            host_id         text,
            event_name      text    NOT NULL,
            event_ts        bigint  NOT NULL,
            inbox_id        bigint  NOT NULL,
            file_type       text,
            file_extension  text,
            recording_type  text,
            file_size       bigint,
            download_url    text    NOT NULL,
            download_token  text,
            path            text    NOT NULL,
            status          text    NOT NULL CHECK (status IN ('pending', 'downloading', 'downloaded', 'done', 'failed')),
            attempts        integer NOT NULL DEFAULT 0,
            next_attempt_at bigint  NOT NULL,
            lease_until     bigint,
            lease_token     text,
            last_error      text,
            bytes           bigint,
            created_at      bigint  NOT NULL,
            completed_at    bigint
        );
        CREATE INDEX ix_recording_jobs_due ON recording_jobs (next_attempt_at) WHERE status IN ('pending', 'downloading', 'downloaded');
        """;

    /// <summary>
    /// The dashboard's recordings page (issue 16): newest first, all jobs or one status, paged by
    /// (created_at, file_id) through these indexes. The same on both providers.
    /// </summary>
    public const string ListIndexes = """
        CREATE INDEX ix_recording_jobs_created ON recording_jobs (created_at, file_id);
        CREATE INDEX ix_recording_jobs_status_created ON recording_jobs (status, created_at, file_id);
        """;
}
