using Microsoft.Data.Sqlite;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>A file from before the summary table: the meetings its facts describe are listed after the upgrade, as before.</summary>
public sealed class MeetingSummaryUpgradeTests
{
    [Fact]
    public async Task Meetings_recorded_before_the_summary_table_are_listed_after_the_upgrade()
    {
        var path = TempDatabase.NewPath();
        try
        {
            await (await TempDatabase.OpenBeforeAsync(path, m => m.Contains("CREATE TABLE meeting_summaries", StringComparison.Ordinal))).DisposeAsync();

            // Recorded by the old version, whose listing grouped these facts.
            var store = new MeetingStore(new InboxDatabase($"Data Source={path}"));
            foreach (var sample in MeetingSamples.Events("old+/1=="))
            {
                await MeetingSamples.RecordAsync(store, sample);
            }

            var expected = (await store.FindAsync("old+/1==", CancellationToken.None))!.Meeting;
            using var upgraded = new SqliteInbox($"Data Source={path}");
            await upgraded.InitializeAsync(CancellationToken.None);

            (await store.ListAsync(null, null, 50, CancellationToken.None)).Should().Equal(expected);
        }
        finally
        {
            TempDatabase.Delete(path);
        }
    }
}
