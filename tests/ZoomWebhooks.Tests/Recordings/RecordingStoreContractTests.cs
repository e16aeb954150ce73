using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>
/// What the job store promises on every provider (subclasses below): one job per file id whatever
/// the repeats, the newest token kept for a file not yet fetched, a job leased to one worker at a
/// time and taken over once its lease runs out, and no update under a lost lease.
/// </summary>
public abstract class RecordingStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_796_032_400_000);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private MigratedDatabase? _database;

    private protected RecordingStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        Store = new RecordingStore(_database.Open());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected abstract Task<MigratedDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_repeat_keeps_one_job_and_the_newest_token_of_a_file_not_yet_fetched()
    {
        await Store.EnqueueAsync(File("f1", "token-a", eventTs: 100), Now, default);
        await Store.EnqueueAsync(File("f1", "token-b", eventTs: 200), Now, default);
        await Store.EnqueueAsync(File("f1", "token-old", eventTs: 50), Now, default);

        var jobs = await Store.ListAsync(null, 10, default);

        jobs.Should().ContainSingle().Which.File.DownloadToken.Should().Be("token-b", "a later event's token outlives an earlier one; an older one is ignored");
        jobs[0].Status.Should().Be(RecordingStatus.Pending);
    }

    [Fact]
    public async Task The_dashboard_pages_jobs_newest_first_by_status_with_a_cursor()
    {
        // Two share a time: the cursor's file id orders them.
        foreach (var (id, at) in new[] { ("p1", 1), ("p2", 2), ("p3", 2), ("p4", 3), ("p5", 4) })
        {
            await Store.EnqueueAsync(File(id, "t", 1), Now.AddSeconds(at), default);
        }

        var failed = (await Store.ClaimAsync(5, Now.AddSeconds(10), Lease, default)).Single(j => j.File.FileId == "p2");
        await Store.FailAsync(failed, Now.AddSeconds(10), "HTTP 404", default);

        var first = await Store.PageAsync(null, null, null, 2, default);
        var second = await Store.PageAsync(null, first[^1].CreatedAt.ToUnixTimeMilliseconds(), first[^1].File.FileId, 2, default);
        var third = await Store.PageAsync(null, second[^1].CreatedAt.ToUnixTimeMilliseconds(), second[^1].File.FileId, 2, default);

        first.Select(j => j.File.FileId).Should().Equal("p5", "p4");
        second.Select(j => j.File.FileId).Should().Equal("p3", "p2");
        third.Select(j => j.File.FileId).Should().Equal("p1");
        (await Store.PageAsync(RecordingStatus.Failed, null, null, 10, default)).Should().ContainSingle()
            .Which.Should().Match<RecordingJob>(j => j.File.FileId == "p2" && j.LastError == "HTTP 404");
    }

    [Fact]
    public async Task A_done_job_is_left_as_it_is_by_a_repeat()
    {
        await Store.EnqueueAsync(File("f2", "token-a", eventTs: 100), Now, default);
        var job = (await Store.ClaimAsync(5, Now, Lease, default)).Single();
        (await Store.CompleteAsync(job, Now, default)).Should().BeTrue();

        await Store.EnqueueAsync(File("f2", "token-b", eventTs: 200), Now, default);

        var stored = await Store.FindAsync("f2", default);
        stored!.Status.Should().Be(RecordingStatus.Done);
        stored.File.DownloadToken.Should().BeNull();
        (await Store.ClaimAsync(5, Now.AddHours(1), Lease, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_leased_job_goes_to_one_worker_and_to_another_only_once_the_lease_ran_out()
    {
        await Store.EnqueueAsync(File("f3", "t", 1), Now, default);

        var first = await Store.ClaimAsync(5, Now, Lease, default);
        var meanwhile = await Store.ClaimAsync(5, Now + TimeSpan.FromSeconds(29), Lease, default);
        var after = await Store.ClaimAsync(5, Now + TimeSpan.FromSeconds(31), Lease, default);

        first.Should().ContainSingle().Which.Status.Should().Be(RecordingStatus.Downloading);
        meanwhile.Should().BeEmpty();
        after.Should().ContainSingle().Which.Attempts.Should().Be(2);
        (await Store.CompleteAsync(first[0], Now, default)).Should().BeFalse("its lease was taken over");
        (await Store.RenewAsync(first[0], Now + Lease, default)).Should().BeFalse();
        (await Store.FindAsync("f3", default))!.Status.Should().Be(RecordingStatus.Downloading);
        (await Store.CompleteAsync(after[0], Now, default)).Should().BeTrue();
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_one_job_twice()
    {
        for (var i = 0; i < 20; i++)
        {
            await Store.EnqueueAsync(File($"c{i}", "t", 1), Now, default);
        }

        // Racing claims pick the same candidates and all but one lose each: a claim may come back
        // short, never with a job another claim holds.
        var ids = new List<string>();
        for (var round = 0; round < 20 && ids.Count < 20; round++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Store.ClaimAsync(5, Now, Lease, default)));
            ids.AddRange(claims.SelectMany(c => c).Select(j => j.File.FileId));
        }

        ids.Should().OnlyHaveUniqueItems();
        ids.Should().HaveCount(20);
    }

    [Fact]
    public async Task A_rescheduled_job_waits_its_turn_and_only_a_failed_job_can_be_retried()
    {
        await Store.EnqueueAsync(File("f4", "t", 1), Now, default);
        var job = (await Store.ClaimAsync(5, Now, Lease, default)).Single();
        (await Store.RetryAsync("f4", Now, default)).Should().BeFalse("it is not failed");
        await Store.RescheduleAsync(job, RecordingStatus.Pending, Now.AddMinutes(1), "HTTP 503", default);

        (await Store.ClaimAsync(5, Now.AddSeconds(59), Lease, default)).Should().BeEmpty();
        var again = (await Store.ClaimAsync(5, Now.AddSeconds(61), Lease, default)).Single();
        await Store.FailAsync(again, Now.AddSeconds(62), "HTTP 404", default);
        (await Store.RetryAsync("f4", Now.AddSeconds(63), default)).Should().BeTrue();

        var retried = await Store.FindAsync("f4", default);
        retried!.Status.Should().Be(RecordingStatus.Pending);
        retried.Attempts.Should().Be(0);
        retried.LastError.Should().BeNull();
    }

    [Fact]
    public async Task A_downloaded_job_taken_again_stays_downloaded_so_only_its_notification_is_repeated()
    {
        await Store.EnqueueAsync(File("f5", "t", 1), Now, default);
        var job = (await Store.ClaimAsync(5, Now, Lease, default)).Single();
        (await Store.MarkDownloadedAsync(job, 1234, default)).Should().BeTrue();

        var taken = (await Store.ClaimAsync(5, Now + Lease + TimeSpan.FromSeconds(1), Lease, default)).Single();

        taken.Status.Should().Be(RecordingStatus.Downloaded);
        taken.Bytes.Should().Be(1234);
    }

    [Fact]
    public async Task A_deauthorization_finds_the_jobs_of_the_user_s_meetings_or_of_the_whole_account_and_deletes_each_by_who_holds_it()
    {
        await Store.EnqueueAsync(File("hosted", "t", 1), Now, default);
        var leased = (await Store.ClaimAsync(10, Now, Lease, default)).Single();
        await Store.EnqueueAsync(File("other-host", "t", 1) with { Meeting = new MeetingRef("m+/2==", "456", "Topic", "host-2") }, Now, default);
        await Store.EnqueueAsync(File("no-host", "t", 1) with { Meeting = new MeetingRef("m+/3==", "789", "Topic", null) }, Now, default);
        await Store.EnqueueAsync(File("other-account", "t", 1) with { AccountId = "acct-2" }, Now, default);

        (await Store.HostedAsync("acct-1", "host-1", Now, default)).Should().Equal([("hosted", File("hosted", "t", 1).Path, true)]);
        (await Store.HostedAsync("acct-1", "host-1", Now + Lease, default)).Single().Held.Should().BeFalse("its lease has run out");
        (await Store.HostedAsync("acct-1", null, Now, default)).Select(j => (j.FileId, j.Held)).Should().Equal(("hosted", true), ("no-host", false), ("other-host", false));

        (await Store.DeleteFreeAsync("hosted", Now, default)).Should().BeFalse("a worker holds it: its files are that worker's to remove");
        (await Store.DeleteHeldAsync("other-host", Now, default)).Should().BeFalse("no worker holds it: its files are the deleter's");
        (await Store.DeleteHeldAsync("hosted", Now, default)).Should().BeTrue();
        (await Store.DeleteFreeAsync("other-host", Now, default)).Should().BeTrue();
        (await Store.DeleteHeldAsync("hosted", Now, default)).Should().BeFalse("it is gone");
        (await Store.FindAsync("hosted", default)).Should().BeNull();
        (await Store.MarkDownloadedAsync(leased, 1234, default)).Should().BeFalse("the worker that held it has nothing left to settle");
        (await Store.RenewAsync(leased, Now + Lease, default)).Should().BeFalse();
        (await Store.ListAsync(null, 10, default)).Select(j => j.File.FileId).Should().BeEquivalentTo("no-host", "other-account");
    }

    /// <summary>A file of meeting <c>m+/1==</c>, hosted by <c>host-1</c> in <c>acct-1</c>.</summary>
    internal static RecordingFile File(string id, string token, long eventTs) => new(
        id, "acct-1", new MeetingRef("m+/1==", "123", "Topic", "host-1"), "recording.completed", eventTs, 7, "MP4", "MP4",
        "shared_screen_with_speaker_view", 1234, "https://zoom.us/rec/download/" + id, token, RecordingPaths.Relative("acct-1", "m+/1==", id, "MP4"));
}

/// <summary>The job store suite on SQLite.</summary>
public sealed class SqliteRecordingStoreTests : RecordingStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.SqliteAsync();
}

/// <summary>The job store suite on a real PostgreSQL, a database of its own per test.</summary>
public sealed class PostgresRecordingStoreTests : RecordingStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.PostgresAsync();
}
