using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary><see cref="IZoomTokens"/>: refresh before expiry, one at a time, and what a dead grant does.</summary>
public sealed class TokenAccessTests
{
    [Fact]
    public async Task A_token_near_expiry_is_refreshed_and_the_rotated_refresh_token_is_kept()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        var first = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);

        (await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().Be(first, "a fresh token is used as it is");
        host.Factory.FakeTime.Advance(TimeSpan.FromMinutes(56));
        var second = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        host.Factory.FakeTime.Advance(TimeSpan.FromMinutes(56));
        var third = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);

        second.Should().NotBe(first);
        third.Should().NotBe(second, "the second refresh used the refresh token the first one returned");
        host.Zoom.Refreshes.Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_refresh()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));
        host.Zoom.HoldRefresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId))).ToList();
        await host.Zoom.RefreshArrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        host.Zoom.HoldRefresh.SetResult();
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(15));

        tokens.Distinct().Should().ContainSingle();
        host.Zoom.Refreshes.Should().Be(1);
        host.Zoom.TokenCalls.Should().Be(2, "one code exchange and one refresh");
    }

    [Fact]
    public async Task A_caller_giving_up_during_a_refresh_does_not_lose_the_rotated_refresh_token()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));
        host.Zoom.HoldRefresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = new CancellationTokenSource();

        var call = host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId, timeout.Token);
        await host.Zoom.RefreshArrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await timeout.CancelAsync();
        host.Zoom.HoldRefresh.SetResult();
        var refreshed = await call.WaitAsync(TimeSpan.FromSeconds(15));
        host.Zoom.HoldRefresh = null;
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));

        (await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().NotBe(refreshed, "the stored refresh token was the rotated one");
        host.Zoom.Refreshes.Should().Be(2);
    }

    [Theory]
    [InlineData("invalid_grant", "Invalid Token!")]
    [InlineData("invalid_request", "Invalid Token!")]
    public async Task A_refused_refresh_token_deletes_the_tokens_and_says_to_authorize_again(string error, string reason)
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Zoom.FailNext(1, HttpStatusCode.BadRequest, error, reason);
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));

        var refused = async () => await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);

        (await refused.Should().ThrowAsync<ZoomNotAuthorizedException>()).Which.Message.Should().Contain("refused the stored refresh token").And.Contain("/zoom/login");
        host.Zoom.TokenCalls.Should().Be(2, "the code exchange, and one refresh: a 400 is not retried");
        var store = host.Factory.Services.GetRequiredService<TokenStore>();
        (await store.FindAsync(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_transient_refresh_failure_keeps_the_tokens()
    {
        await using var host = await OAuthHost.StartAsync(new Dictionary<string, string?> { ["Zoom:OAuth:Retries"] = "1" });
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));
        host.Zoom.FailNext(2, HttpStatusCode.BadGateway);

        await FluentActions.Awaiting(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().ThrowAsync<ZoomOAuthException>();
        var token = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);

        host.Zoom.Issued.Should().Contain(token);
        host.Zoom.Refreshes.Should().Be(1);
    }

    [Fact]
    public async Task An_account_never_authorized_has_no_token()
    {
        await using var host = await OAuthHost.StartAsync();

        await FluentActions.Awaiting(() => host.Tokens.GetAccessTokenAsync("nobody")).Should().ThrowAsync<ZoomNotAuthorizedException>()
            .WithMessage("*/zoom/login*");
    }

    [Fact]
    public async Task Tokens_are_encrypted_at_rest()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        var token = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);

        // The file and its write-ahead log, where a fresh row sits until a checkpoint.
        var bytes = new List<byte>(await File.ReadAllBytesAsync(host.Factory.DatabasePath));
        if (File.Exists(host.Factory.DatabasePath + "-wal"))
        {
            bytes.AddRange(await File.ReadAllBytesAsync(host.Factory.DatabasePath + "-wal"));
        }

        var database = System.Text.Encoding.UTF8.GetString([.. bytes]);

        database.Should().Contain(FakeZoomOAuth.AccountId, "the row is there").And.NotContain(token);
        foreach (var issued in host.Zoom.Issued)
        {
            database.Should().NotContain(issued);
        }
    }

    [Fact]
    public async Task The_flow_token_use_refresh_and_deauthorization_log_no_token_code_or_client_secret()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Zoom.RevokeAll();
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));
        await FluentActions.Awaiting(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().ThrowAsync<ZoomNotAuthorizedException>();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        host.Factory.FakeTime.Advance(TimeSpan.FromHours(1));
        await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        (await host.Factory.PostSignedAsync(Deauthorization.Body(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId))).StatusCode.Should().Be(HttpStatusCode.OK);
        await Deauthorization.WaitForTokensGoneAsync(host);
        await Eventually.Until(() => Task.FromResult(host.Factory.Logs.AllText()), text => text.Contains("App deauthorized", StringComparison.Ordinal));

        var logs = host.Factory.Logs.AllText();
        logs.Should().Contain("refreshed").And.Contain("App deauthorized", "the scenario did log, so the search means something");
        host.Zoom.Issued.Should().HaveCountGreaterThan(5);
        foreach (var secret in host.Zoom.Issued.Append(OAuthHost.DevClientSecret).Append(OAuthHost.ProdClientSecret).Append(FakeZoomOAuth.UserId))
        {
            logs.Should().NotContain(secret);
        }
    }
}

/// <summary>Zoom's <c>app.deauthorized</c> event, and waiting for its handler.</summary>
public static class Deauthorization
{
    public static string Body(string accountId, string userId, string retention = "false") =>
        $$$"""{"event":"app.deauthorized","event_ts":1780000000000,"payload":{"account_id":"{{{accountId}}}","user_id":"{{{userId}}}","signature":"827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000","deauthorization_time":"2026-11-29T13:52:28.632Z","client_id":"{{{OAuthHost.DevClientId}}}","user_data_retention":"{{{retention}}}"}}""";

    public static Task WaitForTokensGoneAsync(OAuthHost host) =>
        Eventually.Until(
            () => host.Factory.Services.GetRequiredService<TokenStore>().LatestAsync(FakeZoomOAuth.AccountId, CancellationToken.None),
            token => token is null,
            because: "app.deauthorized deletes the user's tokens");
}
