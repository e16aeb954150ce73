using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// The one-webinar storm (issue 15): <c>--participants</c> distinct people join one webinar, then
/// all leave, posted signed over <c>--connections</c> connections as fast as the service answers.
/// Then it waits until the service has handled them all (or <c>--patience</c> seconds), and reads
/// from the inbox when each was received and when it was done. Prints
/// <c>STORM events=N done=D post_seconds=S rate=R lag_p50=A lag_p99=B</c>: rate is done events per
/// second from the first receipt to the last one done, lag the milliseconds from receipt to done.
/// </summary>
internal static class Storm
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(Args.Get(args, "url"));
        var secret = Args.Get(args, "secret");
        var db = Args.Get(args, "db");
        var participants = Args.Int(args, "participants", 10_000);
        var connections = Args.Int(args, "connections", 32);
        var patience = TimeSpan.FromSeconds(Args.Int(args, "patience", 120));
        var tag = Args.Get(args, "tag", "storm");

        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds();
        var uuid = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{tag}-webinar+/"));
        var requests = new (byte[] Body, string Signature)[participants * 2];
        for (var n = 0; n < requests.Length; n++)
        {
            var body = Payload.WebinarAttendee(tag, uuid, n % participants, join: n < participants, now.ToUnixTimeMilliseconds() + n);
            requests[n] = (body, ZoomSignature.Sign(secret, timestamp, body));
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections });
        var next = -1;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(requests[i].Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                message.Headers.Add("x-zm-request-id", $"{tag}-{i}");
                message.Headers.Add("x-zm-request-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                message.Headers.Add("x-zm-signature", requests[i].Signature);
                using var response = await http.SendAsync(message);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        var posted = clock.Elapsed;

        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM inbox_events WHERE status = 'done' AND request_id LIKE @tag;";
        count.Parameters.AddWithValue("@tag", tag + "-%");
        long done = 0;
        while (clock.Elapsed < posted + patience && (done = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture)) < requests.Length)
        {
            await Task.Delay(100);
        }

        await using var times = connection.CreateCommand();
        times.CommandText = "SELECT received_at, completed_at FROM inbox_events WHERE status = 'done' AND request_id LIKE @tag;";
        times.Parameters.AddWithValue("@tag", tag + "-%");
        var lags = new List<long>();
        long firstReceived = long.MaxValue, lastDone = 0;
        await using (var reader = await times.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (received, completed) = (reader.GetInt64(0), reader.GetInt64(1));
                lags.Add(completed - received);
                firstReceived = Math.Min(firstReceived, received);
                lastDone = Math.Max(lastDone, completed);
            }
        }

        lags.Sort();
        var seconds = lags.Count == 0 ? 0 : (lastDone - firstReceived) / 1000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"STORM events={requests.Length} done={lags.Count} failed={failed} post_seconds={posted.TotalSeconds:0.0} rate={(seconds > 0 ? lags.Count / seconds : 0):0} lag_p50={Percentile(lags, 0.50)} lag_p99={Percentile(lags, 0.99)}"));
        return 0;
    }

    private static long Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? -1 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
