using System.Net;
using System.Net.Http.Headers;
using Xunit.Abstractions;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>
/// The README's walkthrough ("App authorization"), hop by hop, each printed: login, Zoom's consent,
/// callback, a call to Zoom's API with the token, a refresh, and the deauthorization webhook.
/// Run it alone with <c>dotnet test --filter OAuthWalkthrough --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class OAuthWalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Login_callback_token_use_refresh_and_deauthorization()
    {
        await using var host = await OAuthHost.StartAsync();

        var authorize = await host.LoginAsync();
        output.WriteLine($"1. GET /zoom/login -> 302 {authorize.GetLeftPart(UriPartial.Path)}?{Redact(authorize.Query)}");
        var back = await host.Zoom.ConsentAsync(authorize);
        output.WriteLine($"2. consent at the fake Zoom -> 302 {back.AbsolutePath}?code=...&state=...");
        var (status, page) = await host.CallbackAsync(back);
        output.WriteLine($"3. GET {back.AbsolutePath} -> {(int)status}: {Text(page)}");
        status.Should().Be(HttpStatusCode.OK);

        var token = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        using var api = new HttpClient();
        using var me = new HttpRequestMessage(HttpMethod.Get, host.Zoom.BaseUrl + "/v2/users/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var meResponse = await api.SendAsync(me);
        output.WriteLine($"4. IZoomTokens.GetAccessTokenAsync(\"{FakeZoomOAuth.AccountId}\"), then GET /v2/users/me with it -> {(int)meResponse.StatusCode} {await meResponse.Content.ReadAsStringAsync()}");
        meResponse.StatusCode.Should().Be(HttpStatusCode.OK);

        host.Factory.FakeTime.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        output.WriteLine($"5. 56 minutes later the token is within Zoom:OAuth:RefreshBefore of expiry -> refreshed: {refreshed != token}, refreshes at Zoom: {host.Zoom.Refreshes}");
        refreshed.Should().NotBe(token);

        var deauthorized = await host.Factory.PostSignedAsync(Deauthorization.Body(FakeZoomOAuth.AccountId, FakeZoomOAuth.UserId));
        await Deauthorization.WaitForTokensGoneAsync(host);
        output.WriteLine($"6. signed app.deauthorized -> {(int)deauthorized.StatusCode} {await deauthorized.Content.ReadAsStringAsync()}; tokens deleted");
        await FluentActions.Awaiting(() => host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId)).Should().ThrowAsync<ZoomNotAuthorizedException>();
    }

    private static string Redact(string query) =>
        string.Join('&', query.TrimStart('?').Split('&').Select(p => p.StartsWith("state=", StringComparison.Ordinal) || p.StartsWith("code_challenge=", StringComparison.Ordinal) ? p.Split('=')[0] + "=..." : p));

    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "<p>(.*)</p>").Groups[1].Value;
}
