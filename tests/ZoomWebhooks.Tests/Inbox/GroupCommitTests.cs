using System.Text;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// Concurrent accepts share one transaction (issue 7). What callers see must not change: one
/// answer per caller, duplicates recognised inside a batch, and no caller told "stored" when the
/// batch did not reach the disk.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly string _database = TempDatabase.NewPath();

    [Fact]
    public async Task Concurrent_deliveries_of_one_request_id_store_it_once_and_call_the_rest_duplicates()
    {
        using var inbox = new SqliteInbox($"Data Source={_database}");
        await inbox.InitializeAsync(default);

        // Same request id and event_ts, bodies differing in the meeting (a retry with a changed body).
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ =>
            Task.Run(() => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started", Payloads.NewUuid(), 1_000), "same-request", 1_000), default))));

        results.Count(r => r.IsNew).Should().Be(1);
        results.Where(r => !r.IsNew).Should().AllSatisfy(r => r.Should().Be(AcceptResult.Duplicate));
    }

    [Fact]
    public async Task Concurrent_distinct_deliveries_are_all_stored_with_their_own_ids()
    {
        using var inbox = new SqliteInbox($"Data Source={_database}");
        await inbox.InitializeAsync(default);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(() => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), Guid.NewGuid().ToString()), default))));

        results.Should().AllSatisfy(r => r.IsNew.Should().BeTrue());
        results.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        (await inbox.CountByStatusAsync(default))[InboxStatus.Pending].Should().Be(200);
    }

    [Fact]
    public async Task Every_caller_of_a_batch_that_cannot_be_written_fails_and_the_next_batch_recovers()
    {
        // A short busy timeout, so the lock below fails the batch in a second rather than five.
        using var inbox = new SqliteInbox($"Data Source={_database};Default Timeout=1");
        await inbox.InitializeAsync(default);
        // Another connection holds the write lock past the writer's busy timeout: the batch fails.
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database}"))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            var blocked = Enumerable.Range(0, 8)
                .Select(_ => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), Guid.NewGuid().ToString()), default))
                .ToArray();

            foreach (var accept in blocked)
            {
                await FluentActions.Awaiting(() => accept).Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();
            }
        }

        var after = await inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), "after"), default);
        after.IsNew.Should().BeTrue();
        (await inbox.CountByStatusAsync(default))[InboxStatus.Pending].Should().Be(1);
    }

    [Fact]
    public async Task A_statement_that_fails_fails_its_caller_alone_and_the_rest_of_its_batch_is_committed()
    {
        var connectionString = SqliteInbox.PrepareConnectionString($"Data Source={_database}");
        Task<AcceptResult>[] good;
        Task<int> bad;
        using (var writes = new SqliteGroupCommit(connectionString))
        using (var inbox = new SqliteInbox(connectionString, writes))
        {
            await inbox.InitializeAsync(default);
            // Another process holds the write lock, so the writer's first batch waits on it and no
            // batch can end meanwhile: what is queued below, with the bad statement between good
            // accepts, goes into at most two batches, and the bad one shares its batch with good ones.
            // A row its table's CHECK refuses, as a bug in a feature's write would produce.
            (good, bad) = await OneBatchAroundAsync(inbox, () => writes.ExecuteAsync(
                "INSERT INTO meeting_facts (meeting_uuid, kind, participant_key, occurred_at, event_ts, inbox_id) VALUES (@uuid, @kind, '', 0, 0, 0);",
                [new("uuid", "m-1"), new("kind", "no-such-kind")], default));

            (await FluentActions.Awaiting(() => bad).Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>())
                .Which.SqliteErrorCode.Should().Be(19, "SQLITE_CONSTRAINT: the row's own fault");
            (await Task.WhenAll(good)).Should().OnlyContain(r => r.IsNew, "the other callers of the batch are answered as stored");
        }

        // Durable: a new process's inbox on the file finds every one of them, and not the bad row.
        using var reopened = new SqliteInbox($"Data Source={_database}");
        (await reopened.CountByStatusAsync(default))[InboxStatus.Pending].Should().Be(good.Length);
        await using var read = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database}");
        await read.OpenAsync();
        await using var facts = new Microsoft.Data.Sqlite.SqliteCommand("SELECT count(*) FROM meeting_facts;", read);
        (await facts.ExecuteScalarAsync()).Should().Be(0L);
    }

    /// <summary>
    /// Sixteen accepts with <paramref name="bad"/> queued in the middle of them: the write lock
    /// holds the writer until all are queued, so they are one batch.
    /// </summary>
    private async Task<(Task<AcceptResult>[] Good, T Bad)> OneBatchAroundAsync<T>(SqliteInbox inbox, Func<T> bad)
    {
        await using (await SqliteWriteLock.TakeAsync(_database))
        {
            var before = Enumerable.Range(0, 8).Select(_ => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), Guid.NewGuid().ToString()), default)).ToList();
            var failing = bad();
            var after = Enumerable.Range(0, 8).Select(_ => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), Guid.NewGuid().ToString()), default));
            return ([.. before, .. after], failing);
        }
    }

    [Fact]
    public async Task An_accept_that_fails_fails_its_caller_alone_with_nothing_of_it_stored_and_the_rest_of_its_batch_is_committed()
    {
        var connectionString = SqliteInbox.PrepareConnectionString($"Data Source={_database}");
        Task<AcceptResult>[] good;
        Task<AcceptResult> bad;
        using (var writes = new SqliteGroupCommit(connectionString))
        using (var inbox = new SqliteInbox(connectionString, writes))
        {
            await inbox.InitializeAsync(default);
            // An accept runs without a savepoint of its own: the statement must be undone whole,
            // here after its row and a trigger's row are already written.
            await using (var setup = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database}"))
            {
                await setup.OpenAsync();
                await using var trigger = new Microsoft.Data.Sqlite.SqliteCommand(
                    "CREATE TABLE side (n INTEGER); CREATE TRIGGER refuse AFTER INSERT ON inbox_events WHEN NEW.request_id = 'refused' " +
                    "BEGIN INSERT INTO side VALUES (1); SELECT RAISE(ABORT, 'refused'); END;", setup);
                await trigger.ExecuteNonQueryAsync();
            }

            (good, bad) = await OneBatchAroundAsync(inbox, () => inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.ended"), "refused"), default));

            (await FluentActions.Awaiting(() => bad).Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>())
                .Which.SqliteErrorCode.Should().Be(19, "SQLITE_CONSTRAINT: the row's own fault");
            (await Task.WhenAll(good)).Should().OnlyContain(r => r.IsNew, "the other callers of the batch are answered as stored");
        }

        using var reopened = new SqliteInbox($"Data Source={_database}");
        (await reopened.CountByStatusAsync(default))[InboxStatus.Pending].Should().Be(good.Length);
        await using var read = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database}");
        await read.OpenAsync();
        await using var side = new Microsoft.Data.Sqlite.SqliteCommand("SELECT count(*) FROM side;", read);
        (await side.ExecuteScalarAsync()).Should().Be(0L, "the failed statement's trigger write went with it");
    }

    [Fact]
    public async Task A_repeat_of_a_committed_delivery_is_answered_while_the_writer_cannot_write()
    {
        using var inbox = new SqliteInbox($"Data Source={_database};Default Timeout=1");
        await inbox.InitializeAsync(default);
        var stored = Incoming(Payloads.Custom("meeting.started"), "stored");
        (await inbox.AcceptAsync(stored, default)).IsNew.Should().BeTrue();

        await using (await SqliteWriteLock.TakeAsync(_database))
        {
            // Answered from memory: neither waits for the lock, which would fail them after a second.
            var retry = inbox.AcceptAsync(stored, default);
            var otherSubscription = inbox.AcceptAsync(stored with { RequestId = "another-subscription" }, default);
            var sameRequestId = inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), "stored"), default);

            retry.IsCompletedSuccessfully.Should().BeTrue();
            otherSubscription.IsCompletedSuccessfully.Should().BeTrue();
            sameRequestId.IsCompletedSuccessfully.Should().BeTrue();
            (await Task.WhenAll(retry, otherSubscription, sameRequestId)).Should().AllSatisfy(r => r.Should().Be(AcceptResult.Duplicate));
        }
    }

    [Fact]
    public async Task A_delivery_whose_batch_failed_is_not_remembered_and_is_stored_when_it_comes_again()
    {
        using var inbox = new SqliteInbox($"Data Source={_database};Default Timeout=1");
        await inbox.InitializeAsync(default);
        var delivery = Incoming(Payloads.Custom("meeting.started"), "failed-first");
        await using (await SqliteWriteLock.TakeAsync(_database))
        {
            await FluentActions.Awaiting(() => inbox.AcceptAsync(delivery, default)).Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();
        }

        // Taken for stored, Zoom's retry would be answered "duplicate" and the event lost.
        (await inbox.AcceptAsync(delivery, default)).IsNew.Should().BeTrue();
        (await inbox.AcceptAsync(delivery, default)).Should().Be(AcceptResult.Duplicate);
    }

    [Fact]
    public async Task A_repeat_of_a_delivery_stored_before_a_restart_is_still_a_duplicate()
    {
        var delivery = Incoming(Payloads.Custom("meeting.started"), "before-restart");
        await StoreBeforeARestartAsync(delivery);

        // The new process remembers nothing: the writer's unique indexes answer.
        using var restarted = new SqliteInbox($"Data Source={_database}");
        await restarted.InitializeAsync(default);
        (await restarted.AcceptAsync(delivery with { RequestId = null }, default)).Should().Be(AcceptResult.Duplicate);
        (await restarted.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), "before-restart"), default)).Should().Be(AcceptResult.Duplicate);
        (await restarted.CountByStatusAsync(default))[InboxStatus.Pending].Should().Be(1);
    }

    [Fact]
    public async Task A_duplicate_by_one_key_does_not_make_its_other_key_known()
    {
        var stored = Incoming(Payloads.Custom("meeting.started"), "r1");
        await StoreBeforeARestartAsync(stored);

        // After a restart the writer finds the duplicates, by request id, then by body: their
        // other key is in no row.
        using var inbox = new SqliteInbox($"Data Source={_database}");
        await inbox.InitializeAsync(default);
        var sameId = Incoming(Payloads.Custom("meeting.started"), "r1");
        (await inbox.AcceptAsync(sameId, default)).Should().Be(AcceptResult.Duplicate);
        (await inbox.AcceptAsync(stored with { RequestId = "r2" }, default)).Should().Be(AcceptResult.Duplicate);

        (await inbox.AcceptAsync(sameId with { RequestId = "r3" }, default)).IsNew.Should().BeTrue("no row has that body or that id");
        (await inbox.AcceptAsync(Incoming(Payloads.Custom("meeting.started"), "r2"), default)).IsNew.Should().BeTrue("no row has r2");
    }

    [Fact]
    public async Task A_repeat_of_a_deleted_event_is_stored_again()
    {
        using var inbox = new SqliteInbox($"Data Source={_database}");
        await inbox.InitializeAsync(default);
        var delivery = Incoming(Payloads.Custom("meeting.started"), "purged");
        (await inbox.AcceptAsync(delivery, default)).IsNew.Should().BeTrue();
        var claimed = (await inbox.ClaimAsync(1, DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), default)).Single();
        await inbox.CompleteAsync(claimed, DateTimeOffset.UnixEpoch, default);

        (await inbox.DeleteAsync(InboxStatus.Done, DateTimeOffset.UnixEpoch.AddDays(1), default)).Should().Be(1);

        (await inbox.AcceptAsync(delivery, default)).IsNew.Should().BeTrue("its row is gone, as the unique indexes see it");
    }

    [Fact]
    public void Recently_stored_keys_are_forgotten_oldest_first_and_a_request_id_never_matches_a_body()
    {
        var recent = new RecentlyStored(capacity: 2);
        var (a, b, c) = (Incoming("{\"n\":1}", "a"), Incoming("{\"n\":2}", "b"), Incoming("{\"n\":3}", "c"));
        recent.Add(Keys(a));
        recent.Add(Keys(b));
        recent.Add(Keys(c));

        recent.Contains(Keys(a)).Should().BeFalse("a was the oldest when c came");
        recent.Contains(Keys(b)).Should().BeTrue();
        recent.Contains(Keys(c with { RequestId = null })).Should().BeTrue("the same body as c");
        recent.Contains(Keys(Incoming("{\"n\":4}", "c"))).Should().BeTrue("the same request id as c");
        recent.Contains(Keys(Incoming("{\"n\":4}", c.BodyHash))).Should().BeFalse("a request id is not a body hash");
        recent.Contains(Keys(Incoming("{\"n\":4}", "c", eventTs: 2))).Should().BeFalse("c's request id, of another event time");

        static RecentlyStored.Keys Keys(IncomingEvent delivery) => RecentlyStored.Keys.Of(delivery);
    }

    /// <summary>Stores <paramref name="delivery"/> as a process that has since stopped did: the next inbox on the file remembers nothing of it.</summary>
    private async Task StoreBeforeARestartAsync(IncomingEvent delivery)
    {
        using var before = new SqliteInbox($"Data Source={_database}");
        await before.InitializeAsync(default);
        (await before.AcceptAsync(delivery, default)).IsNew.Should().BeTrue();
    }

    public void Dispose() => TempDatabase.Delete(_database);

    private static IncomingEvent Incoming(string json, string requestId, long eventTs = 1) =>
        IncomingEvent.Create(Encoding.UTF8.GetBytes(json), "meeting.started", eventTs, null, requestId, null, DateTimeOffset.UnixEpoch);
}
