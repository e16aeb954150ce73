using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>Two receivers sharing one PostgreSQL and one recordings folder: each file is fetched once, by one of them.</summary>
public sealed class PostgresRecordingTests
{
    private const string Token = "dl-token-pg-Xe4Rn8";

    [Fact]
    public async Task Two_receivers_on_one_database_download_every_file_once_between_them()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var zoom = await FakeZoomFiles.StartAsync();
        var files = Enumerable.Range(0, 8).Select(i =>
        {
            // The repeat's token is good too: pending jobs take it, as the later one.
            zoom.Add($"pg-{i}", 200_000 + i, Token, "dl-token-pg-repeat-Zz1");
            return new EventFile($"pg-{i}", zoom.UrlOf($"pg-{i}"), 200_000 + i);
        }).ToList();
        var settings = new Dictionary<string, string?> { ["Inbox:Provider"] = "Postgres", ["ConnectionStrings:Inbox"] = database.ConnectionString };
        using var first = RecordingHost.Start(settings);
        using var second = RecordingHost.Start(settings, root: first.Root);

        await first.PostAsync(RecordingEvents.Completed(Token, files));
        await second.PostAsync(RecordingEvents.Completed("dl-token-pg-repeat-Zz1", files));
        var jobs = await Eventually.Until(() => first.Store.ListAsync(null, 20, default), j => j.Count == 8 && j.All(x => x.Status == RecordingStatus.Done),
            TimeSpan.FromSeconds(30), "every file done");

        files.Should().OnlyContain(f => zoom.RequestsFor(f.Id).Count == 1);
        (first.Downloaded.Received.Count + second.Downloaded.Received.Count).Should().Be(8);
        jobs.Should().OnlyContain(j => j.Attempts == 1);
        first.FilesUnderRoot().Should().HaveCount(8);
    }
}
