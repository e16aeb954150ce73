namespace ZoomWebhooks.Recordings;

/// <summary>Statements on <c>recording_jobs</c> that SQLite and PostgreSQL both run as written.</summary>
internal static class RecordingSql
{
    /// <summary>
    /// One job per file id: a repeat of the event (Zoom sends <c>recording.completed</c> twice, with
    /// different tokens) never adds a second download. It does refresh the token and URL of a job
    /// that has not got its file yet (or has failed, for a retry), when it is not older than the
    /// stored one: a later token outlives an earlier one. A file already downloaded keeps its row as it is.
    /// </summary>
    public const string Enqueue = """
        INSERT INTO recording_jobs (file_id, account_id, meeting_uuid, meeting_id, topic, host_id, event_name, event_ts, inbox_id,
                                    file_type, file_extension, recording_type, file_size, download_url, download_token, path,
                                    status, attempts, next_attempt_at, created_at)
        VALUES (@file_id, @account_id, @meeting_uuid, @meeting_id, @topic, @host_id, @event_name, @event_ts, @inbox_id,
                @file_type, @file_extension, @recording_type, @file_size, @download_url, @download_token, @path,
                'pending', 0, @now, @now)
        ON CONFLICT (file_id) DO UPDATE
        SET download_token = excluded.download_token, download_url = excluded.download_url, event_ts = excluded.event_ts
        WHERE recording_jobs.status IN ('pending', 'downloading', 'failed') AND excluded.event_ts >= recording_jobs.event_ts;
        """;

    /// <summary>
    /// A job a worker may take (alias-free): waiting and due, or leased by a worker whose lease ran
    /// out (a crash: its temporary file is resumed). Settled jobs (<c>done</c>, <c>failed</c>) never are.
    /// </summary>
    private const string Due = """
        status IN ('pending', 'downloading', 'downloaded') AND next_attempt_at <= @now
        AND (lease_until IS NULL OR lease_until <= @now)
        """;

    public const string Candidates = $"SELECT file_id FROM recording_jobs WHERE {Due} ORDER BY next_attempt_at, created_at LIMIT @limit;";

    /// <summary>Takes one candidate; a single conditional update, so two workers racing for it cannot both win.</summary>
    public const string Take = $"""
        UPDATE recording_jobs
        SET status = CASE WHEN status = 'downloaded' THEN 'downloaded' ELSE 'downloading' END,
            attempts = attempts + 1, lease_until = @lease_until, lease_token = @lease_token
        WHERE file_id = @file_id AND {Due};
        """;

    public const string Columns = """
        file_id, account_id, meeting_uuid, meeting_id, topic, host_id, event_name, event_ts, inbox_id, file_type, file_extension,
        recording_type, file_size, download_url, download_token, path, status, attempts, next_attempt_at, lease_token, last_error,
        bytes, created_at, completed_at
        """;

    public const string Claimed = $"SELECT {Columns} FROM recording_jobs WHERE file_id = @file_id AND lease_token = @lease_token;";

    public const string Find = $"SELECT {Columns} FROM recording_jobs WHERE file_id = @file_id;";

    public const string List = $"""
        SELECT {Columns} FROM recording_jobs
        WHERE (CAST(@status AS TEXT) IS NULL OR status = @status)
        ORDER BY created_at DESC, file_id
        LIMIT @limit;
        """;

    /// <summary>
    /// The dashboard's page of jobs: newest first, after the cursor (the last row of the previous
    /// page; the first page's is past every row), optionally of one status. A range of
    /// <see cref="RecordingSchema.ListIndexes"/> read backwards and cut at the limit.
    /// </summary>
    public static string Page(bool byStatus) => $"""
        SELECT {Columns} FROM recording_jobs
        WHERE {(byStatus ? "status = @status AND " : "")}(created_at, file_id) < (@before_at, @before_id)
        ORDER BY {(byStatus ? "status DESC, " : "")}created_at DESC, file_id DESC
        LIMIT @limit;
        """;

    // Every update of a claimed job checks its lease token: a worker that lost its lease must not
    // overwrite what the new owner did.
    private const string Owned = " WHERE file_id = @file_id AND lease_token = @lease_token;";

    /// <summary>
    /// SQLite is one process: at start, every lease was held by a previous process that is gone,
    /// so its jobs are taken back at once instead of when their leases run out. PostgreSQL may be
    /// shared by several receivers, so there a lease is left to run out.
    /// </summary>
    public const string TakeBackLeases =
        "UPDATE recording_jobs SET lease_until = NULL, lease_token = NULL WHERE lease_until IS NOT NULL AND status IN ('downloading', 'downloaded');";

    public const string Renew = "UPDATE recording_jobs SET lease_until = @lease_until" + Owned;

    public const string MarkDownloaded =
        "UPDATE recording_jobs SET status = 'downloaded', bytes = @bytes, last_error = NULL" + Owned;

    /// <summary>Done: the token is not needed any more and is not kept.</summary>
    public const string Complete =
        "UPDATE recording_jobs SET status = 'done', completed_at = @at, download_token = NULL, last_error = NULL, " +
        "lease_until = NULL, lease_token = NULL" + Owned;

    public const string Reschedule =
        "UPDATE recording_jobs SET status = @status, next_attempt_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL" + Owned;

    public const string Fail =
        "UPDATE recording_jobs SET status = 'failed', completed_at = @at, last_error = @error, lease_until = NULL, lease_token = NULL" + Owned;

    /// <summary>Handed back unfinished (the service stops): the attempt does not count.</summary>
    public const string Release =
        "UPDATE recording_jobs SET status = CASE WHEN status = 'downloaded' THEN 'downloaded' ELSE 'pending' END, " +
        "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, next_attempt_at = @at, lease_until = NULL, lease_token = NULL" + Owned;

    /// <summary>
    /// The jobs of the meetings a user hosted in an account (all of the account's with no user):
    /// what a deauthorization without data retention removes, with their files. The files of one
    /// recording event share its meeting's host id. The last column says whether a worker holds
    /// the job now (its lease has not run out).
    /// </summary>
    public const string Hosted = """
        SELECT file_id, path, CASE WHEN lease_until > @now THEN 1 ELSE 0 END FROM recording_jobs
        WHERE account_id = @account_id AND (CAST(@host_id AS TEXT) IS NULL OR host_id = @host_id)
        ORDER BY file_id;
        """;

    public const string CountByStatus = "SELECT status, count(*) FROM recording_jobs GROUP BY status;";

    /// <summary>
    /// Deletes a job a worker holds now (its lease running): that worker finds no row to settle
    /// and removes what it wrote. Zero rows: no worker holds it (any more).
    /// </summary>
    public const string DeleteHeld = "DELETE FROM recording_jobs WHERE file_id = @file_id AND lease_until > @now;";

    /// <summary>Deletes a job no worker holds, once its files are removed. Zero rows: a worker took it meanwhile.</summary>
    public const string DeleteFree = "DELETE FROM recording_jobs WHERE file_id = @file_id AND (lease_until IS NULL OR lease_until <= @now);";

    /// <summary>A failed job back to pending, as if new: attempts reset, error cleared.</summary>
    public const string Retry = """
        UPDATE recording_jobs
        SET status = 'pending', attempts = 0, next_attempt_at = @now, last_error = NULL, completed_at = NULL
        WHERE file_id = @file_id AND status = 'failed';
        """;
}
