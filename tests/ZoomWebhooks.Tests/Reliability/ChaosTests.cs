using System.Collections.Concurrent;
using System.Text;
using Xunit.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>
/// The promise, tested by force: the real service process is killed with SIGKILL at random
/// moments while a client streams unique signed events (and retries, as Zoom does, what got no
/// answer). In the end every event that was answered 200 is stored once and was dispatched.
/// CHAOS_KILLS sets the number of kills (20 by default; more by hand).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const string Secret = "chaos-secret-token-Qx81Lm2Zt7";

    [Fact]
    public async Task Killing_the_sqlite_service_at_random_moments_loses_no_acknowledged_event()
    {
        var database = TempDatabase.NewPath();
        using var inbox = new SqliteInbox($"Data Source={database}");
        await RunAsync(new Dictionary<string, string> { ["ConnectionStrings__Inbox"] = $"Data Source={database}" }, inbox, async () =>
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM meeting_facts";
            return Convert.ToInt64(await count.ExecuteScalarAsync(), null);
        });
        TempDatabase.Delete(database);
    }

    [Fact]
    public async Task Killing_the_postgres_service_at_random_moments_loses_no_acknowledged_event()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var inbox = new ZoomWebhooks.Inbox.Postgres.PostgresInbox(
            database.ConnectionString, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ZoomWebhooks.Inbox.Postgres.PostgresInbox>.Instance);
        await RunAsync(
            new Dictionary<string, string> { ["Inbox__Provider"] = "Postgres", ["ConnectionStrings__Inbox"] = database.ConnectionString },
            inbox,
            async () => Convert.ToInt64(await database.ScalarAsync("SELECT count(*) FROM meeting_facts"), null));
    }

    /// <param name="countFacts">Meeting facts stored: each event is of its own meeting, so one fact each.</param>
    private async Task RunAsync(Dictionary<string, string> store, IInbox inbox, Func<Task<long>> countFacts)
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_KILLS"), out var n) ? n : 20;
        var random = new Random(4242);
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var unanswered = new ConcurrentQueue<(string Id, byte[] Body)>();
        var next = 0;

        for (var kill = 0; kill < kills; kill++)
        {
            await using var service = await StartAsync(store);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var killAfter = acknowledged.Count + random.Next(5, 60);
            var posting = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (acknowledged.Count < killAfter)
                {
                    var (id, body) = unanswered.TryDequeue(out var retry) ? retry : NewEvent(Interlocked.Increment(ref next));
                    if (await PostAsync(client, service.Port, body, id))
                    {
                        acknowledged[id] = 0;
                    }
                    else
                    {
                        unanswered.Enqueue((id, body));
                        return;
                    }
                }
            })).ToList();

            await Eventually.Until(() => Task.FromResult(acknowledged.Count), c => c >= killAfter, TimeSpan.FromSeconds(60));
            await service.KillAsync();
            await Task.WhenAll(posting);
        }

        await using var last = await StartAsync(store);
        var rows = await Eventually.Until(
            () => inbox.ListAsync(new InboxQuery(null, null, null, null, 100_000), default),
            r => r.Count >= acknowledged.Count && r.All(x => x.Status == InboxStatus.Done),
            TimeSpan.FromSeconds(90),
            "the last process dispatches everything");

        output.WriteLine($"{kills} kills, {acknowledged.Count} events acknowledged, {rows.Count} stored, {unanswered.Count} unanswered at the end");
        rows.Select(r => r.RequestId).Should().OnlyHaveUniqueItems();
        rows.Select(r => r.RequestId!).Should().Contain(acknowledged.Keys, "no acknowledged event is lost");
        // Events dispatched again after a kill leave the projection as it was: one fact per event, no more, no less.
        (await countFacts()).Should().Be(rows.Count);
    }

    private static async Task<ServiceProcess> StartAsync(Dictionary<string, string> store)
    {
        var settings = new Dictionary<string, string>(store)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = Secret,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            // Events a killed process held come back this soon; one dispatch takes far less.
            ["Inbox__LeaseDuration"] = "00:00:05",
            ["Inbox__Publish__AttemptTimeout"] = "00:00:01",
        };
        var service = ServiceProcess.Start(settings);
        await service.WaitForOutputAsync("Application started");
        return service;
    }

    private static (string Id, byte[] Body) NewEvent(int n)
    {
        var id = $"chaos-{n}";
        return (id, Encoding.UTF8.GetBytes(Payloads.Custom(n % 3 == 0 ? "meeting.started" : "meeting.participant_joined", eventTs: n)));
    }

    /// <summary>True for a 200; false when the process is gone (no answer), as Zoom would see it.</summary>
    private static async Task<bool> PostAsync(HttpClient client, int port, byte[] body, string id)
    {
        using var request = SignedRequest.Create(body, Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), id,
            path: $"http://127.0.0.1:{port}{SignedRequest.Path}");
        try
        {
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
