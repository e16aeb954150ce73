using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Fills a fresh inbox with <c>--count</c> pending participant_joined events of distinct meetings,
/// in one transaction, so the dispatcher's drain rate is measured apart from the accept path.
/// <c>--one-meeting</c> puts them all in one meeting instead: a big class joining at once, which
/// per-meeting order dispatches one event at a time. Each row gets the ordering key the service
/// would give it under <c>--ordering</c> (<c>Participant</c>, the default, or <c>Meeting</c>), its
/// key's first event the head.
/// </summary>
internal static class Prefill
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = Args.Get(args, "db");
        var count = Args.Int(args, "count", 10_000);
        var oneMeeting = args.Contains("--one-meeting");
        var byMeeting = Args.Get(args, "ordering", "Participant") == "Meeting";
        var inbox = new SqliteInbox($"Data Source={path}");
        await inbox.InitializeAsync(CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO inbox_events (event_name, event_ts, meeting_uuid, request_id, body_hash, body, received_at, status, attempts, next_attempt_at,
                                      ordering_key, ordering_head)
            VALUES ('meeting.participant_joined', @ts, @uuid, @rid, @hash, @body, 0, 'pending', 0, 0, @key, @head);
            """;
        var ts = insert.Parameters.Add("@ts", SqliteType.Integer);
        var uuid = insert.Parameters.Add("@uuid", SqliteType.Text);
        var rid = insert.Parameters.Add("@rid", SqliteType.Text);
        var hash = insert.Parameters.Add("@hash", SqliteType.Text);
        var body = insert.Parameters.Add("@body", SqliteType.Blob);
        var key = insert.Parameters.Add("@key", SqliteType.Text);
        var head = insert.Parameters.Add("@head", SqliteType.Integer);
        for (var n = 0; n < count; n++)
        {
            var meeting = oneMeeting ? "prefill-class" : $"prefill-{n}";
            var bytes = Payload.Joined("prefill", n, 1_796_029_355_907 + n, meeting);
            (ts.Value, uuid.Value, rid.Value) = (1_796_029_355_907 + n, meeting, $"prefill-{n}");
            (hash.Value, body.Value) = (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
            // Payload.Joined's participant_uuid is "prefill-{n}": every event is its own participant.
            (key.Value, head.Value) = byMeeting ? (meeting, oneMeeting && n > 0 ? 0 : 1) : ($"{meeting}|prefill-{n}", 1);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return 0;
    }
}
