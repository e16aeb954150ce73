using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>The token store suite on SQLite.</summary>
public sealed class SqliteTokenStoreTests : TokenStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.SqliteAsync();
}

/// <summary>The token store suite on a real PostgreSQL, a database of its own per test.</summary>
public sealed class PostgresTokenStoreTests : TokenStoreContractTests
{
    protected override Task<MigratedDatabase> CreateDatabaseAsync() => MigratedDatabase.PostgresAsync();

    /// <summary>
    /// Two receivers (two stores, two connection pools) updating one row at once: the row lock
    /// makes the second wait for the first's commit and see its change, so it does not refresh again.
    /// </summary>
    [Fact]
    public async Task Two_receivers_updating_one_row_take_turns_and_the_second_sees_the_first_s_change()
    {
        await Store.SaveAsync(Token("a1", "u1"), CancellationToken.None);
        var other = OpenStore();
        var firstHolds = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var seenBySecond = new List<string>();

        var first = Store.UpdateAsync("a1", "u1", async row =>
        {
            firstHolds.SetResult();
            await releaseFirst.Task;
            return row with { AccessToken = "from-first" };
        }, CancellationToken.None);
        await firstHolds.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var second = other.UpdateAsync("a1", "u1", row =>
        {
            seenBySecond.Add(row.AccessToken);
            return Task.FromResult<StoredToken?>(null);
        }, CancellationToken.None);
        // Proof that the second really waits on the row, not merely runs later.
        await Eventually.Until(
            () => Database.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database();"),
            waiting => Convert.ToInt64(waiting, null) >= 1);
        releaseFirst.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(15));

        seenBySecond.Should().Equal("from-first");
        (await second)!.AccessToken.Should().Be("from-first");
    }
}
