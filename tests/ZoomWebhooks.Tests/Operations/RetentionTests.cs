using System.Text;
using Microsoft.Extensions.Time.Testing;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Operations;

public sealed class RetentionTests
{
    [Fact]
    public async Task Done_events_past_the_retention_are_deleted_at_start_and_each_interval_and_dead_ones_are_kept()
    {
        var now = DateTimeOffset.UtcNow;
        var database = TempDatabase.NewPath();
        var inbox = new SqliteInbox($"Data Source={database}");
        await inbox.InitializeAsync(default);
        var doneLongAgo = await FinishAsync(inbox, now.AddDays(-8), dead: false);
        var doneRecently = await FinishAsync(inbox, now.AddDays(-6), dead: false);
        var deadLongAgo = await FinishAsync(inbox, now.AddDays(-30), dead: true);
        var time = new FakeTimeProvider(now);
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Retention"] = "7.00:00:00" }, time, database);

        _ = factory.Server;
        await Eventually.Until(() => inbox.FindAsync(doneLongAgo, default), e => e is null, because: "the start-up pass deletes it");
        (await inbox.FindAsync(doneRecently, default)).Should().NotBeNull();

        time.Advance(TimeSpan.FromDays(2));

        await Eventually.Until(() => inbox.FindAsync(doneRecently, default), e => e is null, because: "an hourly pass deletes it once it is 8 days old");
        (await inbox.FindAsync(deadLongAgo, default))!.Status.Should().Be(InboxStatus.Dead);
        TempDatabase.Delete(database);
    }

    private static async Task<long> FinishAsync(IInbox inbox, DateTimeOffset at, bool dead)
    {
        var body = Encoding.UTF8.GetBytes(Payloads.Custom("meeting.created"));
        var id = (await inbox.AcceptAsync(IncomingEvent.Create(body, "meeting.created", 1, null, null, null, at), default)).Id!.Value;
        var claimed = (await inbox.ClaimAsync(1, at, TimeSpan.FromMinutes(1), default)).Single();
        _ = dead ? await inbox.MarkDeadAsync(claimed, at, "boom", default) : await inbox.CompleteAsync(claimed, at, default);
        return id;
    }
}
