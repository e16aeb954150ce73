using System.Data.Common;
using System.Globalization;
using ZoomWebhooks.Inbox;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// The dashboard's reads, each bounded and on an index whatever the inbox holds (1,000,000 events
/// and more): no statement here walks the table.
/// <list type="bullet">
/// <item>Counts stop at <see cref="CountCap"/> per status (shown as "100,000+").</item>
/// <item>The event list pages by id (keyset, newest first). Dead events come from their own partial
/// index; any other filter is applied to a window of at most <see cref="Window"/> ids below the
/// cursor, and a page that found fewer matches than it wanted links to the next window.</item>
/// </list>
/// Status values go into the SQL as literals from a fixed list: a partial index applies only to a
/// statement whose WHERE names its literal. On SQLite, whose planner has no statistics here, the
/// paging statements name their index (<c>INDEXED BY</c> the dead index, or <c>NOT INDEXED</c>: the
/// rowid range): left alone it took the status index and sorted every pending row.
/// </summary>
internal sealed class DashboardQueries(InboxDatabase database)
{
    public const int CountCap = 100_000;
    public const int Window = 5_000;
    public const int PageSize = 50;

    public static string CountSql(string status) =>
        $"SELECT count(*) FROM (SELECT 1 FROM inbox_events WHERE status = '{Literal(status)}' LIMIT {CountCap + 1}) capped;";

    /// <summary>How long the oldest due event has been waiting past its due time (the ix_inbox_events_due prefix).</summary>
    public const string OldestDue = "SELECT min(next_attempt_at) FROM inbox_events WHERE status = 'pending' AND next_attempt_at <= @now;";

    public const string Attempts = "SELECT attempt, outcome, error, at FROM inbox_attempts WHERE inbox_id = @id ORDER BY id;";

    /// <summary>The lowest id and the count of the window below the cursor (status dead: dead ids only).</summary>
    public static string WindowSql(bool sqlite, bool deadOnly) =>
        $"SELECT min(id), count(*) FROM (SELECT id FROM {Table(sqlite, deadOnly)} WHERE {(deadOnly ? "status = 'dead' AND " : "")}id < @before " +
        $"ORDER BY id DESC LIMIT {Window}) w;";

    public static string PageSql(bool sqlite, EventFilter filter)
    {
        var where = new List<string> { "id < @before", "id >= @low" };
        if (filter.Status is { } status)
        {
            where.Add($"status = '{Literal(status)}'");
        }

        if (filter.EventName is not null)
        {
            where.Add("event_name = @event_name");
        }

        if (filter.Since is not null)
        {
            where.Add("received_at >= @since");
        }

        if (filter.Until is not null)
        {
            where.Add("received_at < @until");
        }

        return $"SELECT {InboxSql.SummaryColumns} FROM {Table(sqlite, filter.Status == InboxStatus.Dead)} " +
            $"WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT {PageSize};";
    }

    public async Task<IReadOnlyList<StatusCount>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var counts = new List<StatusCount>();
        foreach (var status in InboxStatus.All)
        {
            await using var command = Command(connection, CountSql(status));
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            counts.Add(new StatusCount(status, Math.Min(count, CountCap), count > CountCap));
        }

        return counts;
    }

    public async Task<DateTimeOffset?> OldestDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, OldestDue);
        Add(command, "now", now.ToUnixTimeMilliseconds());
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : FromMs(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<FailedAttempt>> AttemptsAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Command(connection, Attempts);
        Add(command, "id", id);
        var attempts = new List<FailedAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new FailedAttempt(reader.GetInt32(0), reader.GetString(1), NullableString(reader, 2), FromMs(reader.GetInt64(3))));
        }

        return attempts;
    }

    public async Task<EventListPage> ListAsync(EventFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var before = filter.Before ?? long.MaxValue;
        var sqlite = !database.IsPostgres;
        var (low, scanned) = await WindowAsync(connection, WindowSql(sqlite, filter.Status == InboxStatus.Dead), before, cancellationToken);
        if (scanned == 0)
        {
            return new EventListPage([], null);
        }

        await using var command = Command(connection, PageSql(sqlite, filter));
        Add(command, "before", before);
        Add(command, "low", low);
        if (filter.EventName is not null)
        {
            Add(command, "event_name", filter.EventName);
        }

        if (filter.Since is { } since)
        {
            Add(command, "since", since.ToUnixTimeMilliseconds());
        }

        if (filter.Until is { } until)
        {
            Add(command, "until", until.ToUnixTimeMilliseconds());
        }

        var items = new List<InboxSummary>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new InboxSummary(
                    reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3), NullableString(reader, 4),
                    FromMs(reader.GetInt64(5)), reader.GetString(6), reader.GetInt32(7), FromMs(reader.GetInt64(8)), NullableString(reader, 9),
                    NullableTime(reader, 10)));
            }
        }

        // A full page continues below its last row; a short page below its window, unless the window reached the first id.
        long? next = items.Count == PageSize ? items[^1].Id : scanned == Window ? low : null;
        return new EventListPage(items, next);
    }

    private static async Task<(long Low, long Count)> WindowAsync(DbConnection connection, string sql, long before, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        Add(command, "before", before);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? (0, 0) : (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static string Table(bool sqlite, bool deadOnly) =>
        !sqlite ? "inbox_events" : deadOnly ? "inbox_events INDEXED BY ix_inbox_events_dead" : "inbox_events NOT INDEXED";

    private static string Literal(string status) =>
        InboxStatus.All.Contains(status) ? status : throw new ArgumentOutOfRangeException(nameof(status), "not an inbox status");
}

internal sealed record StatusCount(string Status, long Count, bool Capped);

internal sealed record FailedAttempt(int Attempt, string Outcome, string? Error, DateTimeOffset At);

/// <summary>The event list's filters, from the query string; <see cref="Before"/> is the keyset cursor.</summary>
internal sealed record EventFilter(string? Status, string? EventName, DateTimeOffset? Since, DateTimeOffset? Until, long? Before);

internal sealed record EventListPage(IReadOnlyList<InboxSummary> Items, long? NextBefore);
