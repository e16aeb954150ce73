using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// An inbox from before the request key (<see cref="IncomingEvent.RequestKey"/>), on each
/// provider: a request id stored then is still a duplicate when it comes again with its event's
/// time, whatever the body says (an <c>event_ts</c>, a negative one, none, one that is not a
/// 64-bit integer, text or a boolean, or no JSON at all), and it is another event with another time. The keys the
/// upgrade derives from stored bodies must equal the ones <see cref="WebhookEnvelope"/> gives.
/// </summary>
public sealed class RequestKeyUpgradeTests
{
    private const long EventTs = 1_764_580_000_123;

    private static readonly (string RequestId, byte[] Body, long? EventTs)[] Stored =
    [
        ("with-ts", Encoding.UTF8.GetBytes($$"""{"event":"meeting.started","event_ts":{{EventTs}}}"""), EventTs),
        ("without-ts", Encoding.UTF8.GetBytes("""{"event":"meeting.started"}"""), null),
        ("not-json", "\u0001 not json"u8.ToArray(), null),
        ("fraction", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":1.5}"""), null),
        ("negative", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":-5}"""), -5),
        ("exponent", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":1e3}"""), null),
        ("overflow", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":99999999999999999999}"""), null),
        ("text", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":"1764580000123"}"""), null),
        ("boolean", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":true}"""), null),
        ("twice", Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":1764580000001,"event_ts":1764580000002}"""), 1_764_580_000_002),
    ];

    private static readonly DateTimeOffset Later = DateTimeOffset.FromUnixTimeMilliseconds(EventTs + 60_000);

    [Fact]
    public void Each_stored_time_is_the_one_the_accept_reads_from_its_body()
    {
        foreach (var (requestId, body, eventTs) in Stored)
        {
            var read = WebhookEnvelope.TryParse(body, out var envelope) ? envelope.EventTs : null;
            read.Should().Be(eventTs, requestId);
        }
    }

    [Fact]
    public async Task Sqlite_request_ids_stored_before_the_upgrade_are_still_duplicates_of_their_event()
    {
        var path = TempDatabase.NewPath();
        try
        {
            // From before the dedup key (migration 16), so that both keys are derived from the bodies.
            await using (var old = await TempDatabase.OpenBeforeAsync(path, m => ReferenceEquals(m, SqliteSchema.DedupKey)))
            {
                foreach (var (requestId, body, eventTs) in Stored)
                {
                    await using var insert = new SqliteCommand(
                        "INSERT INTO inbox_events (event_name, event_ts, request_id, body_hash, body, received_at, status, attempts, next_attempt_at) " +
                        "VALUES ('meeting.started', @ts, @request_id, @hash, @body, @ts, 'done', 1, 0);", old);
                    var stored = IncomingEvent.Create(body, "meeting.started", eventTs, null, requestId, null, Later);
                    insert.Parameters.AddWithValue("@ts", stored.EventTs);
                    insert.Parameters.AddWithValue("@request_id", requestId);
                    insert.Parameters.AddWithValue("@hash", stored.BodyHash);
                    insert.Parameters.AddWithValue("@body", body);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            using var inbox = new SqliteInbox($"Data Source={path}");
            await inbox.InitializeAsync(CancellationToken.None);

            await RepeatsAreDuplicatesAndOtherTimesAreNewAsync(inbox);
        }
        finally
        {
            TempDatabase.Delete(path);
        }
    }

    [Fact]
    public async Task Postgres_request_ids_stored_before_the_upgrade_are_still_duplicates_of_their_event()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var old = new NpgsqlConnection(database.ConnectionString))
        {
            await old.OpenAsync();
            await ExecuteAsync(old, PostgresSchema.VersionTable);
            var upgrade = PostgresSchema.Migrations.ToList().IndexOf(PostgresSchema.RequestKey);
            foreach (var (step, version) in PostgresSchema.Migrations.Take(upgrade).Select((m, i) => (m, i + 1)))
            {
                await ExecuteAsync(old, $"{step}\nINSERT INTO inbox_schema_version (version) VALUES ({version});");
            }

            foreach (var (requestId, body, eventTs) in Stored)
            {
                var stored = IncomingEvent.Create(body, "meeting.started", eventTs, null, requestId, null, Later);
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO inbox_events (event_name, event_ts, request_id, body_hash, body, received_at, status, attempts, next_attempt_at) " +
                    "VALUES ('meeting.started', @ts, @request_id, @hash, @body, @ts, 'done', 1, 0);", old);
                insert.Parameters.AddWithValue("ts", stored.EventTs);
                insert.Parameters.AddWithValue("request_id", requestId);
                insert.Parameters.AddWithValue("hash", stored.BodyHash);
                insert.Parameters.AddWithValue("body", body);
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using var inbox = new PostgresInbox(database.ConnectionString, TimeProvider.System, NullLogger<PostgresInbox>.Instance);
        await inbox.InitializeAsync(CancellationToken.None);

        await RepeatsAreDuplicatesAndOtherTimesAreNewAsync(inbox);
    }

    private static async Task RepeatsAreDuplicatesAndOtherTimesAreNewAsync(IInbox inbox)
    {
        foreach (var (requestId, _, eventTs) in Stored)
        {
            // Another body, so that only the request key can find the stored row.
            var body = Encoding.UTF8.GetBytes($$"""{"event":"meeting.started","n":"{{Guid.NewGuid():N}}"}""");
            (await inbox.AcceptAsync(IncomingEvent.Create(body, "meeting.started", eventTs, null, requestId, null, Later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate, $"{requestId} was stored with that event time");
            (await inbox.AcceptAsync(IncomingEvent.Create(body, "meeting.started", (eventTs ?? 0) + 1, null, requestId, null, Later), CancellationToken.None))
                .IsNew.Should().BeTrue($"{requestId} was not stored with another event time");
        }

        // Each stored body is still found by itself (SQLite's dedup key derived from it, PostgreSQL's hash kept).
        foreach (var (requestId, body, eventTs) in Stored)
        {
            (await inbox.AcceptAsync(IncomingEvent.Create(body, "meeting.started", eventTs, null, "another-" + requestId, null, Later), CancellationToken.None))
                .Should().Be(AcceptResult.Duplicate, $"the body of {requestId} was stored");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
