using ZoomWebhooks.Inbox.Sqlite;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// Statements on <c>meeting_facts</c> that SQLite and PostgreSQL both run as written. The table is
/// created by the inbox's own migrations (version 2 in <c>SqliteSchema</c> and <c>PostgresSchema</c>),
/// so it lives in the same database and comes and goes with it.
/// </summary>
internal static class MeetingSql
{
    /// <summary>
    /// The primary key (meeting, kind, participant, Zoom's time) makes a repeat a no-op: a
    /// redelivery, a replay or two instances handling one event each add the fact once, and no row
    /// is ever read and rewritten, so concurrent handlers cannot lose each other's work.
    /// </summary>
    public const string Append = """
        INSERT INTO meeting_facts (meeting_uuid, kind, participant_key, occurred_at, event_ts, inbox_id, meeting_id, topic,
                                   host_id, account_id, meeting_start, participant_name, user_id, participant_user_id, email, meeting_kind)
        VALUES (@meeting_uuid, @kind, @participant_key, @occurred_at, @event_ts, @inbox_id, @meeting_id, @topic,
                @host_id, @account_id, @meeting_start, @participant_name, @user_id, @participant_user_id, @email, @meeting_kind)
        ON CONFLICT DO NOTHING;
        """;

    private const string End = "MAX(CASE WHEN kind = 'ended' THEN occurred_at END)";

    // A meeting whose start event is missing still sorts and filters by its earliest fact.
    private const string Begin = "COALESCE(MIN(meeting_start), MIN(occurred_at))";

    /// <summary>
    /// Meetings with the same rules as <see cref="MeetingProjection.Summarize"/>: the greatest of
    /// each text value, the earliest stated start, the latest end; ended once any end is known.
    /// Optional filters are cast so PostgreSQL can type a parameter that arrives as NULL.
    /// </summary>
    public const string List = $"""
        SELECT meeting_uuid, MAX(meeting_id), MAX(topic), MAX(host_id), MAX(account_id), MIN(meeting_start), {End}, MAX(meeting_kind)
        FROM meeting_facts
        WHERE (CAST(@uuid AS TEXT) IS NULL OR meeting_uuid = @uuid)
        GROUP BY meeting_uuid
        HAVING (CAST(@status AS TEXT) IS NULL OR (CASE WHEN {End} IS NULL THEN 'live' ELSE 'ended' END) = @status)
           AND (CAST(@since AS BIGINT) IS NULL OR {Begin} >= @since)
        ORDER BY {Begin} DESC, meeting_uuid
        LIMIT @limit;
        """;

    public const string Facts = """
        SELECT kind, participant_key, occurred_at, event_ts, inbox_id, meeting_id, topic, host_id, account_id,
               meeting_start, participant_name, user_id, participant_user_id, email, meeting_kind
        FROM meeting_facts
        WHERE meeting_uuid = @uuid;
        """;

    /// <summary>
    /// Every fact of the meetings a user hosted in an account (all of the account's with no user):
    /// what a deauthorization without data retention removes. A meeting's facts are matched by its
    /// uuid, so a participant fact that lacks the host id goes with its meeting.
    /// </summary>
    public const string DeleteHosted = """
        DELETE FROM meeting_facts
        WHERE meeting_uuid IN (
            SELECT meeting_uuid FROM meeting_facts
            WHERE account_id = @account_id AND (CAST(@host_id AS TEXT) IS NULL OR host_id = @host_id));
        """;
}
