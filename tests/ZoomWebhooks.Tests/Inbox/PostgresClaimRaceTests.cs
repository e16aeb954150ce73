using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// The race that SKIP LOCKED alone leaves open, played step by step: instance 1 is claiming a
/// key's later event (not committed yet) when the key's earlier event arrives late, and
/// instance 2 claims. Instance 2 must wait for instance 1's claim and then see that event in
/// flight, not lease the earlier one beside it. Played for a meeting key (Inbox:Ordering=Meeting)
/// and for a participant key, whose neighbour in the same meeting instance 2 does take. And the
/// race the head marker adds: an accept that runs while the key's previous event is being settled.
/// </summary>
public sealed class PostgresClaimRaceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private PostgresDatabase _database = null!;
    private PostgresInbox _inbox = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _inbox = new PostgresInbox(_database.ConnectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);
        await _inbox.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _inbox.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("m1", null)]
    [InlineData("m1|participant-a", "m1|participant-b")]
    public async Task A_claim_waits_for_another_instance_s_uncommitted_claim_and_respects_it(string key, string? neighbour)
    {
        await Accept(key, ts: 200);

        // Instance 1, mid-claim: it holds the claim lock and has leased ts 200, uncommitted.
        await using var instance1 = new NpgsqlConnection(_database.ConnectionString);
        await instance1.OpenAsync();
        await using var claim1 = await instance1.BeginTransactionAsync();
        await Execute(instance1, $"SELECT pg_advisory_xact_lock({PostgresSchema.ClaimLock})");
        await using (var leased = new NpgsqlCommand(PostgresSchema.Claim, instance1))
        {
            leased.Parameters.AddWithValue("now", Now.ToUnixTimeMilliseconds());
            leased.Parameters.AddWithValue("lease_until", Now.AddMinutes(2).ToUnixTimeMilliseconds());
            leased.Parameters.AddWithValue("lease_token", "instance-1");
            leased.Parameters.AddWithValue("limit", 16);
            (await leased.ExecuteScalarAsync()).Should().NotBeNull();
        }

        // The key's earlier event arrives late (and, by participant, another one's first event), and instance 2 claims.
        await Accept(key, ts: 100);
        if (neighbour is not null)
        {
            await Accept(neighbour, ts: 150);
        }

        var claim2 = _inbox.ClaimAsync(16, Now, TimeSpan.FromMinutes(2), CancellationToken.None);
        // Either instance 2 queues behind instance 1's claim, or (the race) it answers at once.
        await Eventually.Until(
            async () => claim2.IsCompleted || (long)(await _database.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))! == 1,
            done => done);
        await claim1.CommitAsync();

        var claimed = await claim2;
        claimed.Should().NotContain(c => c.OrderingKey == key, "the key has an event in flight; its earlier event waits until that one is settled");
        claimed.Select(c => c.OrderingKey).Should().Equal(neighbour is null ? [] : [neighbour], "another participant of the meeting does not wait");
    }

    [Fact]
    public async Task An_accept_during_the_settle_of_its_key_s_previous_event_waits_for_it_and_is_next()
    {
        await Accept("m1|a", ts: 100);
        var inFlight = (await _inbox.ClaimAsync(16, Now, TimeSpan.FromMinutes(2), CancellationToken.None)).Single();

        // Instance 1, mid-settle: it holds the key's lock and has marked its event done, uncommitted.
        await using var instance1 = new NpgsqlConnection(_database.ConnectionString);
        await instance1.OpenAsync();
        await using var settle = await instance1.BeginTransactionAsync();
        await using (var lockKey = new NpgsqlCommand(PostgresSchema.LockKey, instance1))
        {
            lockKey.Parameters.AddWithValue("ordering_key", "m1|a");
            await lockKey.ExecuteNonQueryAsync();
        }

        await using (var done = new NpgsqlCommand(InboxSql.Complete, instance1))
        {
            done.Parameters.AddWithValue("id", inFlight.Id);
            done.Parameters.AddWithValue("lease_token", inFlight.LeaseToken);
            done.Parameters.AddWithValue("at", Now.ToUnixTimeMilliseconds());
            (await done.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await using (var promote = new NpgsqlCommand(InboxSql.Promote, instance1))
        {
            promote.Parameters.AddWithValue("ordering_key", "m1|a");
            await promote.ExecuteNonQueryAsync();
        }

        // The same participant's next event arrives at instance 2. Stored now, it would see the
        // previous event still live and not be the head, while the settle cannot see it to promote it.
        var accept = Accept("m1|a", ts: 200);
        await Eventually.Until(
            async () => accept.IsCompleted || (long)(await _database.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))! == 1,
            done => done);
        await settle.CommitAsync();
        (await accept).IsNew.Should().BeTrue();

        var next = await _inbox.ClaimAsync(16, Now, TimeSpan.FromMinutes(2), CancellationToken.None);
        next.Select(c => c.EventTs).Should().Equal([200L], "the key's next event is its head once the previous one is done");
    }

    private Task<AcceptResult> Accept(string key, long ts) =>
        _inbox.AcceptAsync(
            IncomingEvent.Create(Guid.NewGuid().ToByteArray(), "meeting.participant_joined", ts, key.Split('|')[0], null, null, Now) with { OrderingKey = key },
            CancellationToken.None);

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
