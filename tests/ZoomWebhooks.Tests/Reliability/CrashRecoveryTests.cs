using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Xunit.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>
/// How soon events in flight come back after <c>kill -9</c> of a real service process, with the
/// default lease (issue 13). The kill lands while handlers are held up writing their meeting fact,
/// so the process dies holding claimed events: on SQLite the restart takes them back at once, on
/// PostgreSQL the surviving receiver takes them over within about one lease. Each bound is the
/// wait's deadline, a correctness bound: with the former 2-minute lease neither is met.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const string Secret = "crash-secret-token-Vb62Kp0Wq5";

    [Fact]
    public async Task After_kill_9_during_dispatch_every_acknowledged_sqlite_event_is_done_within_15_s_of_the_restart()
    {
        var database = TempDatabase.NewPath();
        var store = new Dictionary<string, string> { ["ConnectionStrings__Inbox"] = $"Data Source={database}" };
        var acknowledged = new ConcurrentDictionary<string, byte>();
        IReadOnlyList<InboxRows.Row> inFlight;
        await using (var service = await StartAsync(store))
        {
            using var load = new Load(service.Port, acknowledged);
            await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= 20, TimeSpan.FromSeconds(30), "events acknowledged");

            // Another writer on the file, as a stalled disk: while it holds the lock nothing the
            // service does can commit. It is held at a moment when claimed events are in flight.
            SqliteWriteLock? stalled = null;
            inFlight = await Eventually.Until(async () =>
            {
                var writeLock = await SqliteWriteLock.TakeAsync(database);
                var processing = (await InboxRows.ReadAsync(database)).Where(r => r.Status == InboxStatus.Processing).ToList();
                if (processing.Count > 0)
                {
                    stalled = writeLock;
                }
                else
                {
                    await writeLock.DisposeAsync();
                }

                return processing;
            }, p => p.Count > 0, TimeSpan.FromSeconds(20), "a moment with events in flight");

            await service.KillAsync();
            await load.StopAsync();
            await stalled!.DisposeAsync();
        }

        (await InboxRows.ReadAsync(database)).Where(r => r.Status == InboxStatus.Processing).Select(r => r.Id)
            .Should().BeEquivalentTo(inFlight.Select(r => r.Id), "the dead process left them leased");

        await using var restarted = await StartAsync(store);
        var rows = await Eventually.Until(
            () => InboxRows.ReadAsync(database),
            r => acknowledged.Keys.All(id => r.Any(x => x.RequestId == id && x.Status == InboxStatus.Done)),
            TimeSpan.FromSeconds(15),
            "every acknowledged event done within 15 s of the restart");

        rows.Select(r => r.RequestId).Should().OnlyHaveUniqueItems();
        rows.Where(r => inFlight.Any(f => f.Id == r.Id)).Should().OnlyContain(r => r.Attempts >= 2, "the attempt the kill cut short counts");
        output.WriteLine($"{acknowledged.Count} events acknowledged, {inFlight.Count} in flight at the kill; all done after the restart");
        TempDatabase.Delete(database);
    }

    [Fact]
    public async Task After_kill_9_of_one_postgres_receiver_during_dispatch_the_other_has_every_acknowledged_event_done_within_45_s()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var store = new Dictionary<string, string>
        {
            ["Inbox__Provider"] = "Postgres",
            ["ConnectionStrings__Inbox"] = database.ConnectionString,
        };
        var acknowledged = new ConcurrentDictionary<string, byte>();
        List<long> inFlight = [];
        ServiceProcess? survivor = null;
        try
        {
            await using (var doomed = await StartAsync(store))
            {
                // Meeting facts cannot be written while the test holds this lock: the handlers wait
                // with their events claimed, as behind a slow downstream system.
                await using var facts = new NpgsqlConnection(database.ConnectionString);
                await facts.OpenAsync();
                await using var stall = await facts.BeginTransactionAsync();
                await using (var lockTable = new NpgsqlCommand("LOCK TABLE meeting_facts IN EXCLUSIVE MODE;", facts, stall))
                {
                    await lockTable.ExecuteNonQueryAsync();
                }

                using (var load = new Load(doomed.Port, acknowledged))
                {
                    await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= 20, TimeSpan.FromSeconds(30), "events acknowledged");
                    await load.StopAsync();
                }

                // Before the other receiver starts, every claimed event is this one's.
                inFlight = await Eventually.Until(() => ProcessingAsync(database), ids => ids.Count > 0, TimeSpan.FromSeconds(20), "events in flight");
                survivor = await StartAsync(store);
                await doomed.KillAsync();
                await stall.RollbackAsync();
            }

            await Eventually.Until(
                () => database.ScalarAsync("SELECT count(*) FROM inbox_events WHERE status <> 'done'"),
                left => (long)left! == 0,
                TimeSpan.FromSeconds(45),
                "every acknowledged event done within 45 s of the crash");
        }
        finally
        {
            // What is left, should the deadline pass: status, attempts and lease say which step failed.
            output.WriteLine(await UnfinishedAsync(database));
            if (survivor is not null)
            {
                await survivor.DisposeAsync();
            }
        }

        var ids = string.Join(',', acknowledged.Keys.Select(id => $"'{id}'"));
        (await database.ScalarAsync($"SELECT count(*) FROM inbox_events WHERE request_id IN ({ids})")).Should().Be((long)acknowledged.Count, "no acknowledged event is lost");
        var takenOver = (long)(await database.ScalarAsync(
            $"SELECT count(*) FROM inbox_events WHERE id IN ({string.Join(',', inFlight)}) AND attempts >= 2"))!;
        takenOver.Should().Be(inFlight.Count, "the other receiver dispatched what the killed one held");
        output.WriteLine($"{acknowledged.Count} events acknowledged, {inFlight.Count} held by the killed receiver; all done by the other");
    }

    private static async Task<string> UnfinishedAsync(PostgresDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, status, attempts, next_attempt_at, lease_until, last_error FROM inbox_events WHERE status <> 'done' ORDER BY id;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new StringBuilder($"now {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}, not done:");
        while (await reader.ReadAsync())
        {
            lines.Append(CultureInfo.InvariantCulture,
                $"\n  {reader.GetValue(0)} {reader.GetValue(1)} attempts={reader.GetValue(2)} next={reader.GetValue(3)} lease={reader.GetValue(4)} {reader.GetValue(5)}");
        }

        return lines.ToString();
    }

    private static async Task<List<long>> ProcessingAsync(PostgresDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM inbox_events WHERE status = 'processing' ORDER BY id;", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The service with its defaults for the lease and the dispatch: only the store, the secret and quiet logs set.</summary>
    private static async Task<ServiceProcess> StartAsync(Dictionary<string, string> store)
    {
        var service = ServiceProcess.Start(Settings(store));
        await service.WaitForOutputAsync("Application started");
        return service;
    }

    private static Dictionary<string, string> Settings(Dictionary<string, string> store) => new(store)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Zoom__ActiveEnvironment"] = "Development",
        ["Zoom__Environments__Development__SecretToken"] = Secret,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    /// <summary>Four clients posting unique signed meeting.started events until stopped; the 200s are acknowledged.</summary>
    private sealed class Load : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };
        private readonly List<Task> _posters;
        private int _next;

        public Load(int port, ConcurrentDictionary<string, byte> acknowledged)
        {
            _posters = [.. Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var id = $"crash-{Interlocked.Increment(ref _next)}";
                    if (await PostAsync(port, Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), id))
                    {
                        acknowledged[id] = 0;
                    }
                }
            }))];
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_posters);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _client.Dispose();
            _stop.Dispose();
        }

        /// <summary>True for a 200; false for a 503, or no answer from a process that is gone.</summary>
        private async Task<bool> PostAsync(int port, byte[] body, string id)
        {
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/webhooks/zoom")) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(ZoomSignature.TimestampHeader, $"{ts}");
            request.Headers.Add(ZoomSignature.SignatureHeader, ZoomSignature.Sign(Secret, ts, body));
            request.Headers.Add(ZoomSignature.RequestIdHeader, id);
            try
            {
                using var response = await _client.SendAsync(request, _stop.Token);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }
    }
}
