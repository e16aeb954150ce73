using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>GET /zoom/login and its callback against a real fake Zoom (<see cref="FakeZoomOAuth"/>).</summary>
public sealed class LoginFlowTests
{
    [Fact]
    public async Task Login_redirects_to_Zoom_with_the_active_environment_s_client_and_PKCE_and_sets_a_protected_cookie()
    {
        await using var host = await OAuthHost.StartAsync();

        using var response = await host.Browser.GetAsync("/zoom/login");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be(host.Zoom.AuthorizeUrl);
        var query = QueryHelpers.ParseQuery(location.Query);
        query["response_type"].ToString().Should().Be("code");
        query["client_id"].ToString().Should().Be(OAuthHost.DevClientId);
        query["redirect_uri"].ToString().Should().Be(OAuthHost.DevRedirect);
        query["code_challenge_method"].ToString().Should().Be("S256");
        query["code_challenge"].ToString().Should().HaveLength(43);
        query["state"].ToString().Should().HaveLength(43);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().StartWith(LoginCookie.Name + "=").And.Contain("path=/zoom/login/callback").And.Contain("httponly")
            .And.Contain("samesite=lax").And.NotContain(query["state"].ToString(), "the state is encrypted in the cookie");
    }

    [Fact]
    public async Task The_whole_flow_stores_the_user_s_tokens_and_says_which_credentials_were_used()
    {
        await using var host = await OAuthHost.StartAsync();

        var (status, page) = await host.AuthorizeAsync();

        status.Should().Be(HttpStatusCode.OK, page);
        page.Should().Contain("Zoom app authorized").And.Contain(FakeZoomOAuth.AccountId).And.Contain("Development credentials");
        var token = await host.Tokens.GetAccessTokenAsync(FakeZoomOAuth.AccountId);
        host.Zoom.Issued.Should().Contain(token);
    }

    [Fact]
    public async Task With_Production_active_the_flow_uses_the_production_client_and_redirect()
    {
        await using var host = await OAuthHost.StartAsync(new Dictionary<string, string?> { ["Zoom:ActiveEnvironment"] = "Production" });

        var authorize = await host.LoginAsync();
        QueryHelpers.ParseQuery(authorize.Query)["client_id"].ToString().Should().Be(OAuthHost.ProdClientId);
        var (status, page) = await host.CallbackAsync(await host.Zoom.ConsentAsync(authorize));

        status.Should().Be(HttpStatusCode.OK, page);
        page.Should().Contain("Production credentials");
    }

    [Fact]
    public async Task A_callback_whose_state_does_not_match_the_browser_s_login_is_refused_without_calling_Zoom()
    {
        await using var host = await OAuthHost.StartAsync();
        var authorize = await host.LoginAsync();
        var back = await host.Zoom.ConsentAsync(authorize);
        var forged = QueryHelpers.AddQueryString("/zoom/login/callback", new Dictionary<string, string?>
        {
            ["code"] = QueryHelpers.ParseQuery(back.Query)["code"],
            ["state"] = "attacker-chosen-state",
        });

        var (status, page) = await host.CallbackAsync(new Uri(host.Factory.Server.BaseAddress, forged));

        status.Should().Be(HttpStatusCode.BadRequest);
        page.Should().Contain("cannot be verified").And.Contain("/zoom/login");
        host.Zoom.TokenCalls.Should().Be(0);
    }

    [Fact]
    public async Task A_callback_without_the_login_cookie_or_state_is_refused()
    {
        await using var host = await OAuthHost.StartAsync();
        var back = await host.Zoom.ConsentAsync(await host.LoginAsync());
        using var otherBrowser = host.Factory.CreateClient();

        using var noCookie = await otherBrowser.GetAsync(back.PathAndQuery);
        using var noState = await host.Browser.GetAsync("/zoom/login/callback?code=abc");

        noCookie.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noState.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        host.Zoom.TokenCalls.Should().Be(0);
    }

    [Fact]
    public async Task A_forged_login_cookie_is_refused()
    {
        await using var host = await OAuthHost.StartAsync();
        var back = await host.Zoom.ConsentAsync(await host.LoginAsync());
        using var attacker = host.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, back.PathAndQuery);
        var state = QueryHelpers.ParseQuery(back.Query)["state"].ToString();
        request.Headers.Add("Cookie", $"{LoginCookie.Name}={Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($$"""{"State":"{{state}}","CodeVerifier":"x"}"""))}");

        using var response = await attacker.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        host.Zoom.TokenCalls.Should().Be(0);
    }

    [Fact]
    public async Task A_callback_is_good_once_the_cookie_is_cleared()
    {
        await using var host = await OAuthHost.StartAsync();
        var back = await host.Zoom.ConsentAsync(await host.LoginAsync());

        (await host.CallbackAsync(back)).Status.Should().Be(HttpStatusCode.OK);
        (await host.CallbackAsync(back)).Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_used_state_sent_again_with_its_cookie_and_a_new_code_is_refused_and_stores_nothing()
    {
        await using var host = await OAuthHost.StartAsync();
        using var login = await host.Browser.GetAsync("/zoom/login");
        var authorize = login.Headers.Location!;
        var cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        (await host.CallbackAsync(await host.Zoom.ConsentAsync(authorize))).Status.Should().Be(HttpStatusCode.OK);
        // The browser dropped the cookie, but whoever kept a copy of it (and of the state in the
        // URL) asks Zoom for a new code, as another user, and comes back within the 10 minutes.
        host.Zoom.NextUser = ("acct-replayed", "user-replayed");
        var again = await host.Zoom.ConsentAsync(authorize);
        using var replayer = host.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost"),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, again.PathAndQuery);
        request.Headers.Add("Cookie", cookie);

        using var response = await replayer.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Should().Contain("used already").And.Contain("/zoom/login");
        host.Zoom.TokenCalls.Should().Be(1, "the second code is never exchanged");
        var replayed = () => host.Tokens.GetAccessTokenAsync("acct-replayed");
        await replayed.Should().ThrowAsync<ZoomNotAuthorizedException>();
    }

    [Fact]
    public async Task A_callback_whose_state_cannot_be_checked_gets_a_503_page_and_the_code_is_not_exchanged()
    {
        await using var host = await OAuthHost.StartAsync();
        var redirectBack = await host.Zoom.ConsentAsync(await host.LoginAsync());
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.Factory.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE zoom_oauth_used_states;";
            await drop.ExecuteNonQueryAsync();
        }

        var (status, page) = await host.CallbackAsync(redirectBack);

        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        System.Net.WebUtility.HtmlDecode(page).Should().Contain("could not reach its database").And.Contain("/zoom/login");
        host.Zoom.TokenCalls.Should().Be(0);
    }

    [Theory]
    [InlineData("Your Zoom account is suspended. Call +1 555 0100 to restore it", null)]
    [InlineData("access_denied", "Your Zoom account is suspended. Call +1 555 0100 to restore it")]
    [InlineData("server_error", "Your Zoom account is suspended. Call +1 555 0100 to restore it")]
    public async Task Text_in_the_callback_s_error_is_never_shown_only_our_own_words(string error, string? description)
    {
        await using var host = await OAuthHost.StartAsync();
        var state = QueryHelpers.ParseQuery((await host.LoginAsync()).Query)["state"];
        var url = QueryHelpers.AddQueryString("/zoom/login/callback", new Dictionary<string, string?>
        {
            ["error"] = error, ["error_description"] = description, ["state"] = state,
        });

        var (status, page) = await host.CallbackAsync(new Uri(host.Factory.Server.BaseAddress, url));

        status.Should().Be(HttpStatusCode.BadRequest);
        page.Should().Contain("Zoom did not authorize the app").And.Contain("/zoom/login")
            .And.NotContain("suspended").And.NotContain("555");
    }

    [Fact]
    public async Task The_pages_forbid_scripts_framing_and_sniffing_and_the_login_redirect_is_not_cached()
    {
        await using var host = await OAuthHost.StartAsync();
        using var login = await host.Browser.GetAsync("/zoom/login");
        var back = await host.Zoom.ConsentAsync(login.Headers.Location!);
        using var success = await host.Browser.GetAsync(back.PathAndQuery);
        using var failure = await host.Browser.GetAsync("/zoom/login/callback?error=access_denied");
        using var unconfigured = new ServiceFactory();
        using var notConfigured = await unconfigured.CreateClient().GetAsync("/zoom/login");

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.CacheControl!.NoStore.Should().BeTrue("the redirect sets the login cookie");
        foreach (var page in new[] { success, failure, notConfigured })
        {
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            page.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            var policy = page.Headers.GetValues("Content-Security-Policy").Single();
            policy.Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'")
                .And.NotContain("script-src").And.NotContain("unsafe-inline");
            page.Headers.CacheControl!.NoStore.Should().BeTrue();
            (await page.Content.ReadAsStringAsync()).Should().NotContain("<script").And.NotContain("style=");
        }
    }

    [Fact]
    public async Task Credentials_of_the_wrong_environment_get_their_own_message()
    {
        // The Production app's secret under Development: Zoom answers invalid_client.
        await using var host = await OAuthHost.StartAsync(new Dictionary<string, string?>
        {
            ["Zoom:Environments:Development:ClientSecret"] = OAuthHost.ProdClientSecret,
        });

        var (status, page) = await host.AuthorizeAsync();

        status.Should().Be(HttpStatusCode.BadGateway);
        page.Should().Contain("invalid_client").And.Contain("Zoom:ActiveEnvironment is Development")
            .And.Contain("Development credentials, for testing before the app is published").And.Contain("not the Production ones");
        page.Should().NotContain(OAuthHost.ProdClientSecret);
    }

    [Fact]
    public async Task A_code_issued_to_the_other_environment_s_app_gets_its_own_message()
    {
        await using var host = await OAuthHost.StartAsync();
        var ours = await host.LoginAsync();
        // The same consent, but on the Production app's page (a Marketplace link of the other app).
        var query = QueryHelpers.ParseQuery(ours.Query);
        var theirs = QueryHelpers.AddQueryString(host.Zoom.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = OAuthHost.ProdClientId, ["redirect_uri"] = OAuthHost.ProdRedirect,
            ["state"] = query["state"], ["code_challenge"] = query["code_challenge"], ["code_challenge_method"] = "S256",
        });
        var back = await host.Zoom.ConsentAsync(new Uri(theirs));

        var (status, page) = await host.CallbackAsync(back);

        status.Should().Be(HttpStatusCode.BadGateway);
        page.Should().Contain("invalid_grant").And.Contain("issued to the Production environment's app");
    }

    [Fact]
    public async Task Declined_consent_is_a_clear_failure()
    {
        await using var host = await OAuthHost.StartAsync();
        var state = QueryHelpers.ParseQuery((await host.LoginAsync()).Query)["state"];

        using var response = await host.Browser.GetAsync($"/zoom/login/callback?error=access_denied&state={state}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("access_denied");
    }

    [Fact]
    public async Task Without_OAuth_settings_the_login_names_the_keys_to_set_and_the_service_still_runs()
    {
        using var factory = new ServiceFactory();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/zoom/login");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("OAuth is not configured")
            .And.Contain("Zoom:Environments:Development:ClientId").And.Contain("Zoom:Environments:Development:RedirectUri");
        (await factory.PostSignedAsync(Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
