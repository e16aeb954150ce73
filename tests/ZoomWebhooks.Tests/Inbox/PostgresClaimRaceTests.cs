using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// The race that SKIP LOCKED alone leaves open, played step by step: instance 1 is claiming a
/// meeting's later event (not committed yet) when the meeting's earlier event arrives late, and
/// instance 2 claims. Instance 2 must wait for instance 1's claim and then see that event in
/// flight, not lease the earlier one beside it.
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

    [Fact]
    public async Task A_claim_waits_for_another_instance_s_uncommitted_claim_and_respects_it()
    {
        await Accept("m1", ts: 200);

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

        // The meeting's earlier event arrives late, and instance 2 claims.
        await Accept("m1", ts: 100);
        var claim2 = _inbox.ClaimAsync(16, Now, TimeSpan.FromMinutes(2), CancellationToken.None);
        // Either instance 2 queues behind instance 1's claim, or (the race) it answers at once.
        await Eventually.Until(
            async () => claim2.IsCompleted || (long)(await _database.ScalarAsync("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))! == 1,
            done => done);
        await claim1.CommitAsync();

        (await claim2).Should().BeEmpty("m1 has an event in flight; its earlier event waits until that one is settled");
    }

    private Task Accept(string meeting, long ts) =>
        _inbox.AcceptAsync(IncomingEvent.Create(Guid.NewGuid().ToByteArray(), "meeting.participant_joined", ts, meeting, null, null, Now), CancellationToken.None);

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
