using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>The dashboard in an app of someone else's: only AddDashboard(), no Razor, antiforgery or static-file setup of its own.</summary>
public sealed class DashboardLibraryTests : IAsyncDisposable
{
    private readonly string _database = TempDatabase.NewPath();
    private WebApplication? _app;

    [Fact]
    public async Task AddDashboard_alone_serves_the_pages_their_assets_and_says_meeting_activity_is_off()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zoom:Environments:Development:SecretToken"] = "library-test-secret-token-000000",
            ["ConnectionStrings:Inbox"] = $"Data Source={_database}",
            ["Admin:ApiKey"] = DashboardClient.Key,
        });
        // An app that requires authorization everywhere: the admin key is the dashboard's credential.
        builder.Services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build());
        builder.AddZoomWebhooks().AddDashboard().AddDashboard();
        _app = builder.Build();
        _app.UseAuthorization();
        _app.MapZoomWebhooks();
        await _app.StartAsync();
        var server = _app.GetTestServer();
        var browser = new DashboardClient(new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = server.CreateHandler() })
        {
            BaseAddress = server.BaseAddress,
        });

        (await browser.LogInAsync()).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await browser.PageAsync("/dashboard")).Should().Contain("Overview");
        (await browser.PageAsync("/dashboard/meetings")).Should().Contain("Meeting activity is off");
        var css = await browser.GetAsync("/dashboard/assets/dashboard.css");
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        (await css.Content.ReadAsStringAsync()).Should().Contain("svg.timeline");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        TempDatabase.Delete(_database);
    }
}
