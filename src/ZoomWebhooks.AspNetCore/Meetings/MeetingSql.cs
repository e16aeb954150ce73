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

    private const string SummaryColumns = "meeting_uuid, meeting_id, topic, host_id, account_id, meeting_start, ended_at, meeting_kind";

    /// <summary>
    /// Meetings, latest start first, from <c>meeting_summaries</c> (one row per meeting, kept with
    /// the facts by triggers; <see cref="MeetingSchema.SqliteSummaries"/>), with the same rules as
    /// <see cref="MeetingProjection.Summarize"/>. One statement per filter, each a range of an index
    /// (<c>begin_at &gt;= @since</c>, the lowest value when no since is given) read in order and cut
    /// at the limit: a page costs the same with ten meetings or a million facts. A kind (meeting or
    /// webinar, the dashboard's filter) is checked on the rows the range reads.
    /// </summary>
    public static string List(string? status, string? kind = null) => $"""
        SELECT {SummaryColumns} FROM meeting_summaries
        WHERE begin_at >= @since{status switch
        {
            MeetingSummary.Live => " AND ended_at IS NULL",
            MeetingSummary.Ended => " AND ended_at IS NOT NULL",
            _ => "",
        }}{(kind is null ? "" : " AND meeting_kind = @kind")}
        ORDER BY begin_at DESC, meeting_uuid
        LIMIT @limit;
        """;

    /// <summary>One meeting's summary row.</summary>
    public const string Summary = $"SELECT {SummaryColumns} FROM meeting_summaries WHERE meeting_uuid = @uuid;";

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
