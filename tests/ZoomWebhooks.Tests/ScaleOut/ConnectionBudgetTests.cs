using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.ScaleOut;

/// <summary>
/// A receiver on PostgreSQL holds at most <c>Maximum Pool Size</c> connections, whatever its
/// features do at once: the README and docker-compose.yml budget the server's max_connections by
/// it. Counted from the server's side (pg_stat_activity), so a pool no one knew about is counted too.
/// </summary>
public sealed class ConnectionBudgetTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PoolSize = 5;
    private const string AdminKey = "connection-budget-admin-key-0123456789abcdef";

    private readonly string _keys = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", Guid.NewGuid().ToString("N"), "keys");
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(Path.GetDirectoryName(_keys)))
        {
            Directory.Delete(Path.GetDirectoryName(_keys)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_receiver_given_Maximum_Pool_Size_5_never_holds_more_than_5_connections_under_webhooks_meetings_API_and_token_reads()
    {
        const int events = 240;
        using var receiver = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = $"{_database.ConnectionString};Maximum Pool Size={PoolSize}",
            ["DataProtection:KeysPath"] = _keys,
            ["Admin:ApiKey"] = AdminKey,
        }, time: TimeProvider.System);
        var api = receiver.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var tokens = receiver.Services.GetRequiredService<TokenStore>();
        var now = DateTimeOffset.UtcNow;
        await tokens.SaveAsync(new StoredToken("acct", "user", "Development", "access", "refresh", now.AddHours(1), null, null, now), default);

        using var sampling = new CancellationTokenSource();
        var sampler = SampleConnectionsAsync(sampling.Token);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Task.WhenAll(
            Parallel.ForEachAsync(Enumerable.Range(0, events), parallel, async (i, _) =>
                (await receiver.PostSignedAsync(Body(i), requestId: $"req-{i}")).StatusCode.Should().Be(HttpStatusCode.OK)),
            Parallel.ForEachAsync(Enumerable.Range(0, events), parallel, async (i, _) =>
            {
                var path = i % 2 == 0 ? "/api/meetings" : $"/api/meetings/{Uri.EscapeDataString($"meeting-{i % 12}==")}";
                (await api.GetAsync(new Uri(path, UriKind.Relative))).StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.NotFound);
            }),
            Parallel.ForEachAsync(Enumerable.Range(0, events), parallel, async (_, token) =>
                (await tokens.LatestAsync("acct", token)).Should().NotBeNull()));
        // The dispatcher's claims, settles and meeting facts go on after the last answer.
        await Eventually.Until(() => receiver.Inbox.CountByStatusAsync(default), c => c[InboxStatus.Done] == events,
            TimeSpan.FromMinutes(1), "every event is dispatched");
        await sampling.CancelAsync();
        var (samples, max) = await sampler;

        output.WriteLine($"{samples} samples of pg_stat_activity: at most {max} connections of the receiver (Maximum Pool Size={PoolSize})");
        max.Should().BePositive("the sampler saw the receiver's connections");
        max.Should().BeLessThanOrEqualTo(PoolSize, "one pool per receiver, shared by the inbox, the meetings API and the token store");
    }

    /// <summary>The test database's client connections, counted from the maintenance database (not counted itself).</summary>
    private async Task<(int Samples, long Max)> SampleConnectionsAsync(CancellationToken stop)
    {
        var server = await PostgresServer.InstanceAsync();
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @name AND backend_type = 'client backend';", connection);
        count.Parameters.AddWithValue("name", _database.Name);
        using var period = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        var (samples, max) = (0, 0L);
        do
        {
            // Npgsql keeps idle connections open for minutes, so a count also sees what was opened between samples.
            max = Math.Max(max, (long)(await count.ExecuteScalarAsync(CancellationToken.None))!);
            samples++;
        }
        while (!stop.IsCancellationRequested && await period.WaitForNextTickAsync(CancellationToken.None));

        return (samples, max);
    }

    /// <summary>Event <paramref name="i"/> of one of 12 meetings: a join the built-in handlers record as a fact.</summary>
    private static string Body(int i) =>
        $$"""{"event":"meeting.participant_joined","event_ts":{{1_772_441_000_000 + i}},"payload":{"account_id":"acc","object":{"uuid":"meeting-{{i % 12}}==","id":"{{i % 12}}","participant":{"user_name":"P {{i}}","user_id":"u{{i}}","join_time":"2026-03-02T09:00:00Z"} } } }""";
}
