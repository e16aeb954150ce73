using Microsoft.Extensions.Logging.Abstractions;
using ZoomWebhooks.Events;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>
/// The deauthorization handler's turns, on a real SQLite job store: a job listed as held whose
/// worker's lease has run out by the delete is deleted with its files by the handler, and one that
/// changes hands at every statement fails the handler, its job still listed, for the dispatcher's
/// retry. A clock that answers each statement with its own time makes the hand-over happen
/// exactly between two statements.
/// </summary>
public sealed class ForgetHostedRecordingsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_796_032_400_000);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Expired = Now + Lease + TimeSpan.FromSeconds(1);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"forget-{Guid.NewGuid():N}");
    private MigratedDatabase _database = null!;
    private RecordingStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await MigratedDatabase.SqliteAsync();
        _store = new RecordingStore(_database.Open());
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_job_listed_as_held_whose_lease_ran_out_before_the_delete_loses_its_files_and_its_row_here()
    {
        var path = await HeldJobWithFileAsync("lapsed-1");

        // Listed at Now (held), deleted at Expired: the held delete finds no lease, the free one succeeds.
        await Handler(Now, Expired, Expired).Handle(Deauthorized(), default);

        File.Exists(path).Should().BeFalse("no worker holds the job any more, so nobody else removes its file");
        (await _store.FindAsync("lapsed-1", default)).Should().BeNull();
    }

    [Fact]
    public async Task A_job_that_changes_hands_at_every_statement_fails_the_handler_and_stays_listed_for_the_retry()
    {
        await HeldJobWithFileAsync("busy-1");

        // Each delete sees the other state from the one it is for: held, free, held, free.
        var handle = () => Handler(Now, Expired, Now, Expired, Now).Handle(Deauthorized(), default);

        (await handle.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("busy-1").And.Contain("changed hands 4 times");
        (await _store.FindAsync("busy-1", default)).Should().NotBeNull("the dispatcher's retry of the deauthorization finds it again");
    }

    private async Task<string> HeldJobWithFileAsync(string fileId)
    {
        var file = RecordingStoreContractTests.File(fileId, "token", eventTs: 1);
        await _store.EnqueueAsync(file, Now, default);
        (await _store.ClaimAsync(1, Now, Lease, default)).Should().ContainSingle();
        var full = RecordingPaths.Full(_root, file.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, [1, 2, 3, 4]);
        return full;
    }

    private ForgetHostedRecordings Handler(params DateTimeOffset[] times) =>
        new(_store, new FixedOptions<RecordingsOptions>(new RecordingsOptions { Path = _root }), new ScriptedClock(times), NullLogger<ForgetHostedRecordings>.Instance);

    private static AppDeauthorized Deauthorized() => new(1, Now, "acct-1", "host-1", "client-1", UserDataRetention: false);

    /// <summary>Answers each read of the time with the next of <paramref name="times"/>, then the last one.</summary>
    private sealed class ScriptedClock(DateTimeOffset[] times) : TimeProvider
    {
        private int _next;

        public override DateTimeOffset GetUtcNow() => times[Math.Min(_next++, times.Length - 1)];
    }
}
