using Microsoft.Data.Sqlite;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Fills a fresh inbox with <c>--count</c> pending participant_joined events of distinct meetings,
/// in one transaction, so the dispatcher's drain rate is measured apart from the accept path.
/// <c>--one-meeting</c> puts them all in one meeting instead: a big class joining at once, which
/// per-meeting order dispatches one event at a time. Each row is what the service's accept would
/// store (its envelope read by <see cref="WebhookEnvelope"/>, its keys by <see cref="IncomingEvent"/>,
/// its ordering key by <see cref="OrderingKeys"/> under <c>--ordering</c>: <c>Participant</c>, the
/// default, or <c>Meeting</c>), so the unique and ordering indexes hold what they would; each key's
/// first event is its head.
/// </summary>
internal static class Prefill
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = Args.Get(args, "db");
        var count = Args.Int(args, "count", 10_000);
        var oneMeeting = args.Contains("--one-meeting");
        var ordering = Args.Get(args, "ordering", "Participant") == "Meeting" ? InboxOrdering.Meeting : InboxOrdering.Participant;
        var inbox = new SqliteInbox($"Data Source={path}");
        await inbox.InitializeAsync(CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, request_id, body_hash, body, received_at, status, attempts, next_attempt_at,
                                      ordering_key, ordering_head, dedup_key, request_key)
            VALUES (@name, @ts, @uuid, @rid, @hash, @body, 0, 'pending', 0, 0, @key, @head, @dedup, @request);
            """;
        var name = insert.Parameters.Add("@name", SqliteType.Text);
        var ts = insert.Parameters.Add("@ts", SqliteType.Integer);
        var uuid = insert.Parameters.Add("@uuid", SqliteType.Text);
        var rid = insert.Parameters.Add("@rid", SqliteType.Text);
        var hash = insert.Parameters.Add("@hash", SqliteType.Text);
        var body = insert.Parameters.Add("@body", SqliteType.Blob);
        var key = insert.Parameters.Add("@key", SqliteType.Text);
        var head = insert.Parameters.Add("@head", SqliteType.Integer);
        var dedup = insert.Parameters.Add("@dedup", SqliteType.Blob);
        var request = insert.Parameters.Add("@request", SqliteType.Blob);
        var keys = new HashSet<string>();
        for (var n = 0; n < count; n++)
        {
            var bytes = Payload.Joined("prefill", n, 1_796_029_355_907 + n, oneMeeting ? "prefill-class" : $"prefill-{n}");
            if (!WebhookEnvelope.TryParse(bytes, out var envelope))
            {
                throw new InvalidOperationException($"Payload.Joined made an envelope the service would refuse (event {n}).");
            }

            var row = IncomingEvent.Create(bytes, envelope.Event, envelope.EventTs, envelope.MeetingUuid, $"prefill-{n}", null, DateTimeOffset.UnixEpoch) with
            {
                OrderingKey = OrderingKeys.For(ordering, envelope.MeetingUuid, envelope.ParticipantKey),
            };
            (name.Value, ts.Value, uuid.Value, rid.Value) = (row.EventName, row.EventTs, (object?)row.MeetingUuid ?? DBNull.Value, row.RequestId);
            (hash.Value, body.Value, dedup.Value, request.Value) = (row.BodyHash, row.Body, row.DedupKey, row.RequestKey);
            (key.Value, head.Value) = ((object?)row.OrderingKey ?? DBNull.Value, row.OrderingKey is null || keys.Add(row.OrderingKey) ? 1 : 0);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return 0;
    }
}
