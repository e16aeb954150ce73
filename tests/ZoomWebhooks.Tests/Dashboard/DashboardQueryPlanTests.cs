using Microsoft.Data.Sqlite;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>
/// Every statement the dashboard runs, as SQLite plans it: each table is reached through an index
/// or a rowid range (SEARCH), never walked whole (SCAN), and nothing is sorted in a temporary
/// B-tree. So a page costs the same with a thousand events or a million.
/// </summary>
public sealed class DashboardQueryPlanTests
{
    public static TheoryData<string, string> Statements()
    {
        var data = new TheoryData<string, string>();
        foreach (var status in InboxStatus.All)
        {
            data.Add("count " + status, DashboardQueries.CountSql(status));
            data.Add("page " + status, DashboardQueries.PageSql(sqlite: true, new EventFilter(status, "meeting.started", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1)));
        }

        data.Add("page, no filter", DashboardQueries.PageSql(sqlite: true, new EventFilter(null, null, null, null, null)));
        data.Add("page, time range", DashboardQueries.PageSql(sqlite: true, new EventFilter(null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null)));
        data.Add("window", DashboardQueries.WindowSql(sqlite: true, deadOnly: false));
        data.Add("window, dead", DashboardQueries.WindowSql(sqlite: true, deadOnly: true));
        data.Add("oldest due", DashboardQueries.OldestDue);
        data.Add("attempts", DashboardQueries.Attempts);
        foreach (var status in new[] { MeetingSummary.Live, MeetingSummary.Ended, null })
        {
            data.Add("meetings " + (status ?? "all"), MeetingSql.List(status));
            data.Add("webinars " + (status ?? "all"), MeetingSql.List(status, MeetingKind.Webinar));
        }

        data.Add("recordings", RecordingSql.Page(byStatus: false));
        data.Add("recordings failed", RecordingSql.Page(byStatus: true));

        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task Each_statement_uses_an_index_and_sorts_nothing(string name, string sql)
    {
        await using var database = await MigratedDatabase.SqliteAsync();
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand("EXPLAIN QUERY PLAN " + sql, connection);
        foreach (var parameter in new[] { "before", "low", "event_name", "since", "until", "now", "id", "limit", "kind", "status", "before_at", "before_id" })
        {
            if (sql.Contains("@" + parameter, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(parameter, parameter switch
                {
                    "event_name" => "meeting.started",
                    "kind" => "webinar",
                    "status" => "failed",
                    "before_id" => "file-1",
                    _ => 1L,
                });
            }
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join(" | ", plan);
        plan.Where(line => line.Contains("inbox_", StringComparison.Ordinal) || line.Contains("meeting_", StringComparison.Ordinal)
                || line.Contains("recording_", StringComparison.Ordinal))
            .Should().NotBeEmpty(name).And.OnlyContain(line => line.StartsWith("SEARCH ", StringComparison.Ordinal), $"{name}: {text}");
        text.Should().NotContain("TEMP B-TREE", name);
    }
}
