using System.Net;
using System.Net.Http.Headers;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>Who may see the dashboard, and what a page never shows (issue 16, "Access").</summary>
public sealed class DashboardAccessTests
{
    private const string Key = DashboardClient.Key;

    private static readonly string[] Pages = ["/dashboard", "/dashboard/events", "/dashboard/meetings", "/dashboard/recordings"];

    [Fact]
    public async Task Without_an_admin_key_every_dashboard_route_answers_404()
    {
        using var factory = new ServiceFactory();
        var browser = DashboardClient.For(factory);

        foreach (var path in Pages.Append("/dashboard/login").Append("/dashboard/assets/dashboard.css"))
        {
            (await browser.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }

        var login = await browser.Http.PostAsync(new Uri("/dashboard/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Key }));
        login.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_session_a_page_sends_the_browser_to_the_login_and_shows_no_data()
    {
        using var factory = Factory();
        (await factory.PostSignedAsync(Payloads.Custom("meeting.created"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var id = (await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), rows => rows.Count == 1)).Single().Id;
        var browser = DashboardClient.For(factory);

        foreach (var path in Pages.Append($"/dashboard/events/{id}").Append("/dashboard/meetings/abc"))
        {
            var response = await browser.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.Redirect, path);
            response.Headers.Location!.OriginalString.Should().Be("/dashboard/login");
            (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
        }

        var login = await browser.PageAsync("/dashboard/login");
        login.Should().Contain("name=\"key\"").And.NotContain("meeting.created");

        // A forged or foreign cookie is no session either.
        browser.Http.DefaultRequestHeaders.Add("Cookie", "zoomwebhooks_dashboard=CfDJ8forged");
        (await browser.GetAsync("/dashboard/events")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task The_right_key_opens_a_strict_httponly_session_that_ends_after_its_lifetime()
    {
        using var factory = Factory();
        var browser = DashboardClient.For(factory);

        var login = await browser.LogInAsync();

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.Should().Be("/dashboard");
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("zoomwebhooks_dashboard=", StringComparison.Ordinal));
        cookie.Should().Contain("httponly").And.Contain("samesite=strict").And.Contain("path=/dashboard").And.NotContain("secure",
            "the test server speaks plain HTTP");
        cookie.Should().NotContain(Key);
        (await browser.PageAsync("/dashboard")).Should().Contain("Overview");

        factory.FakeTime.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        (await browser.GetAsync("/dashboard")).StatusCode.Should().Be(HttpStatusCode.Redirect, "the session has a limited lifetime");
    }

    [Fact]
    public async Task Over_https_the_session_cookie_is_secure()
    {
        using var factory = Factory();
        var browser = DashboardClient.For(factory, "https://localhost");

        var login = await browser.LogInAsync();

        login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("zoomwebhooks_dashboard=", StringComparison.Ordinal))
            .Should().Contain("secure");
    }

    [Fact]
    public async Task Wrong_keys_count_toward_the_admin_apis_lockout_and_the_right_key_still_passes()
    {
        using var factory = Factory(new() { ["Admin:FailuresPerMinute"] = "3" });
        var browser = DashboardClient.For(factory);

        for (var i = 0; i < 2; i++)
        {
            var wrong = await browser.LogInAsync("wrong-" + i);
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await wrong.Content.ReadAsStringAsync()).Should().Contain("That is not the key.");
        }

        // The third failure is the admin API's, from the same address: one lockout for both.
        var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-bearer");
        (await api.GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var locked = await browser.LogInAsync("wrong-3");
        locked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        locked.Headers.RetryAfter!.ToString().Should().Be("60");
        (await api.GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);

        (await browser.LogInAsync()).StatusCode.Should().Be(HttpStatusCode.Redirect, "the right key is checked before the lockout");
        factory.Logs.AllText().Should().Contain("Dashboard login from").And.NotContain(Key).And.NotContain("wrong-3");
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var handler = new RecordingHandler { OnGeneric = (_, _) => throw new InvalidOperationException("CRM down") };
        using var factory = Factory(new() { ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        var dead = (await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), rows => rows.Count == 1 && rows[0].Status == "dead")).Single();
        var browser = DashboardClient.For(factory);

        (await browser.PostFormAsync("/dashboard/login", "/dashboard/login", new Dictionary<string, string> { ["key"] = Key }, withToken: false))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest, "the login form is protected too");
        (await browser.LogInAsync()).StatusCode.Should().Be(HttpStatusCode.Redirect);

        var forged = await browser.PostFormAsync($"/dashboard/events/{dead.Id}", $"/dashboard/events/{dead.Id}/replay", withToken: false);
        var forgedAll = await browser.PostFormAsync("/dashboard/events", "/dashboard/events/replay-dead", withToken: false);

        forged.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        forgedAll.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await InboxRows.ReadAsync(factory.DatabasePath)).Single().Status.Should().Be("dead");
        (await browser.Http.GetAsync(new Uri($"/dashboard/events/{dead.Id}/replay", UriKind.Relative))).StatusCode
            .Should().Be(HttpStatusCode.MethodNotAllowed, "a GET never replays");

        var replay = await browser.PostFormAsync($"/dashboard/events/{dead.Id}", $"/dashboard/events/{dead.Id}/replay");

        replay.StatusCode.Should().Be(HttpStatusCode.Redirect);
        replay.Headers.Location!.OriginalString.Should().Be($"/dashboard/events/{dead.Id}?replayed=1");
        factory.Logs.AllText().Should().Contain("Admin replayed 1 events", "the dashboard replays through the admin API's operation");
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_loads_nothing_from_another_origin()
    {
        using var factory = Factory();
        var browser = DashboardClient.For(factory);
        var anonymous = await browser.GetAsync("/dashboard/login");
        await browser.LogInAsync();

        foreach (var response in new[] { anonymous }.Concat(await Task.WhenAll(Pages.Append("/dashboard/events/999999").Append("/dashboard/assets/dashboard.js").Select(browser.GetAsync))))
        {
            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'")
                .And.NotContain("unsafe-inline", path);
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff", path);
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer", path);
            var html = await response.Content.ReadAsStringAsync();
            html.Should().NotContain("http://").And.NotContain("https://").And.NotContain("<script>").And.NotContain(" style=", path);
        }
    }

    internal static ServiceFactory Factory(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        settings ??= [];
        settings["Admin:ApiKey"] = Key;
        return new ServiceFactory(settings, time);
    }
}
