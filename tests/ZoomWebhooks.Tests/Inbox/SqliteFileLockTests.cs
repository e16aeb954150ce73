using System.Net;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// One receiver per SQLite file, with real processes: a second one on the same file refuses to
/// start in one line naming the file, the lock and what to do, before it could take over the
/// first one's leases; the first runs on; and once the first is killed with <c>kill -9</c> the
/// lock is gone with it and a new receiver starts.
/// </summary>
public sealed class SqliteFileLockTests : IDisposable
{
    private const string Secret = "lock-secret-token-Hq73Xz1Wv8";
    private readonly string _database = TempDatabase.NewPath();

    [Fact]
    public async Task A_second_receiver_on_the_file_refuses_to_start_and_one_starts_once_the_first_was_killed()
    {
        await using (var first = await StartAsync())
        {
            await using var second = ServiceProcess.Start(Settings());
            var exitCode = await second.WaitForExitAsync();

            exitCode.Should().NotBe(0, second.Output);
            second.Output.Split('\n').Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal))
                .Which.Should().Contain($"Start-up refused: Another process already runs a receiver on the SQLite inbox {_database}: it holds {_database}.lock.")
                .And.Contain("Stop the other process first").And.Contain("Inbox:Provider=Postgres");
            (await first.PostSignedAsync(System.Text.Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), Secret)).StatusCode.Should().Be(HttpStatusCode.OK, "the first receiver runs on");
            await first.KillAsync();
        }

        await using var third = await StartAsync();
        (await third.PostSignedAsync(System.Text.Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), Secret)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Only_a_file_database_has_a_lock_file_beside_it()
    {
        SqliteFileLock.PathFor("Data Source=:memory:").Should().BeNull();
        SqliteFileLock.PathFor("Data Source=shared;Mode=Memory;Cache=Shared").Should().BeNull();
        SqliteFileLock.PathFor($"Data Source={_database}").Should().Be(_database + ".lock");
    }

    // The database's folder, its lock file included.
    public void Dispose() => TempDatabase.Delete(_database);

    private async Task<ServiceProcess> StartAsync()
    {
        var service = ServiceProcess.Start(Settings());
        await service.WaitForOutputAsync("Application started");
        return service;
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["ConnectionStrings__Inbox"] = $"Data Source={_database}",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Zoom__ActiveEnvironment"] = "Development",
        ["Zoom__Environments__Development__SecretToken"] = Secret,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };
}
