using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary><c>app.deauthorized</c>, verified like any event, deletes the user's tokens and hosted meetings.</summary>
public sealed class DeauthorizationTests
{
    [Fact]
    public async Task A_signed_deauthorization_deletes_the_user_s_tokens_and_the_meetings_they_hosted()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        var hosted = await AddMeetingAsync(host, FakeZoomOAuth.UserId);
        var another = await AddMeetingAsync(host, "someone-else");

        (await host.Factory.PostSignedAsync(Deauthorization.Body(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId))).StatusCode.Should().Be(HttpStatusCode.OK);
        // Two handlers, OAuth's for the tokens and meeting activity's for the facts; each one's last act is its log line.
        var lines = await Eventually.Until(
            () => Task.FromResult(host.Factory.Logs.Events.Where(e => e.MessageTemplate.Text.StartsWith("App deauthorized", StringComparison.Ordinal)).ToList()),
            found => found.Count == 2);
        var tokenLine = lines.Single(e => e.Properties.ContainsKey("TokenRows"));
        var factLine = lines.Single(e => e.Properties.ContainsKey("FactRows"));

        await FluentActions.Awaiting(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().ThrowAsync<ZoomNotAuthorizedException>();
        var meetings = host.Factory.Services.GetRequiredService<MeetingStore>();
        (await meetings.FactsAsync(hosted, CancellationToken.None)).Should().BeEmpty();
        (await meetings.FactsAsync(another, CancellationToken.None)).Should().NotBeEmpty();
        LogCapture.Scalar(tokenLine, "TokenRows").Should().Be(1);
        LogCapture.Scalar(factLine, "FactRows").Should().Be(1);
        // The meeting handler logs its host id; the deauthorization's own lines name neither user nor account.
        foreach (var line in lines)
        {
            line.RenderMessage().Should().NotContain(FakeZoomOAuth.AccountId).And.NotContain(FakeZoomOAuth.UserId);
        }
    }

    [Fact]
    public async Task With_data_retention_allowed_the_meetings_stay_and_the_tokens_go()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);
        var hosted = await AddMeetingAsync(host, FakeZoomOAuth.UserId);

        (await host.Factory.PostSignedAsync(Deauthorization.Body(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId, retention: "true"))).StatusCode.Should().Be(HttpStatusCode.OK);
        await Deauthorization.WaitForTokensGoneAsync(host);

        (await host.Factory.Services.GetRequiredService<MeetingStore>().FactsAsync(hosted, CancellationToken.None)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task An_unsigned_deauthorization_is_refused_and_deletes_nothing()
    {
        await using var host = await OAuthHost.StartAsync();
        (await host.AuthorizeAsync()).Status.Should().Be(HttpStatusCode.OK);

        var response = await host.Factory.PostSignedAsync(Deauthorization.Body(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId), secret: "not-the-secret-token-at-all");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().NotBeNullOrEmpty();
    }

    private static async Task<string> AddMeetingAsync(OAuthHost host, string hostId)
    {
        var uuid = Payloads.NewUuid();
        var body = Payloads.MeetingStarted(uuid).Replace("\"acct-1\"", $"\"{FakeZoomOAuth.AccountId}\"", StringComparison.Ordinal)
            .Replace("\"host-1\"", $"\"{hostId}\"", StringComparison.Ordinal);
        (await host.Factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
        var meetings = host.Factory.Services.GetRequiredService<MeetingStore>();
        await Eventually.Until(() => meetings.FactsAsync(uuid, CancellationToken.None), facts => facts.Count > 0);
        return uuid;
    }
}
