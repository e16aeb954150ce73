using System.Net;
using Microsoft.Extensions.Time.Testing;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>
/// Two receivers on one PostgreSQL database and one shared Data Protection key ring, as the README
/// says to run them: a token authorized through one is usable through the other, and callers on
/// both asking at once while it expires cause one refresh, not two (Zoom rotates refresh tokens).
/// </summary>
public sealed class SharedRefreshTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", Guid.NewGuid().ToString("N"), "keys");

    public async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_keys)!, recursive: true);
    }

    [Fact]
    public async Task Callers_on_two_receivers_share_one_refresh()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = _database.ConnectionString,
            ["DataProtection:KeysPath"] = _keys,
        };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await OAuthHost.StartAsync(settings, time: time);
        await using var b = await OAuthHost.StartAsync(settings, a.Zoom, time);
        (await a.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        var before = await b.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        time.Advance(TimeSpan.FromHours(1));
        a.Zoom.HoldRefresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = new[] { a, b, a, b, a, b }
            .Select(host => Task.Run(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId))).ToList();
        await a.Zoom.RefreshArrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        a.Zoom.HoldRefresh.SetResult();
        var after = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(15));

        after.Distinct().Should().ContainSingle().Which.Should().NotBe(before);
        a.Zoom.Refreshes.Should().Be(1);
    }
}
