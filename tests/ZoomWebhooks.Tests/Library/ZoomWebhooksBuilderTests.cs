using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Library;

/// <summary>
/// The library as an app of someone else's uses it: WebApplication, plain ILogger (no Serilog),
/// only the features it turns on, its own JSON and authorization choices.
/// </summary>
public sealed class ZoomWebhooksBuilderTests : IAsyncDisposable
{
    private const string Secret = "library-test-secret-token-000000";
    private const string AdminKey = "library-test-admin-key-0000000000000000";
    private readonly string _database = TempDatabase.NewPath();
    private WebApplication? _app;

    [Fact]
    public async Task Without_features_only_the_webhook_route_answers_and_no_shipped_handler_runs()
    {
        var client = await StartAsync(zoom => { });

        (await PostSignedAsync(client, Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK);
        foreach (var path in new[] { "/api/meetings", "/admin/events", "/zoom/login", "/health/live", "/metrics" })
        {
            (await client.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }

        _app!.Services.GetServices<INotificationHandler<MeetingStarted>>().Should().BeEmpty("meeting activity and the event log are off");
    }

    [Fact]
    public async Task A_feature_or_the_whole_receiver_added_twice_is_registered_once()
    {
        var client = await StartAsync(zoom => zoom.AddMeetingActivity().AddMeetingActivity().AddAdminApi(), again: true);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        (await client.GetAsync("/api/meetings")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/admin/events")).StatusCode.Should().Be(HttpStatusCode.OK);
        _app!.Services.GetServices<INotificationHandler<MeetingStarted>>().OfType<RecordMeetingFacts>().Should().ContainSingle();
    }

    [Fact]
    public async Task Mapping_without_AddZoomWebhooks_or_twice_says_what_to_fix()
    {
        var bare = WebApplication.CreateBuilder();
        bare.WebHost.UseTestServer();
        await using var withoutServices = bare.Build();
        FluentActions.Invoking(() => withoutServices.MapZoomWebhooks())
            .Should().Throw<InvalidOperationException>().WithMessage("Call builder.AddZoomWebhooks() before app.MapZoomWebhooks()*");

        await StartAsync(zoom => { });
        FluentActions.Invoking(() => _app!.MapZoomWebhooks())
            .Should().Throw<InvalidOperationException>().WithMessage("*called twice*");
    }

    [Fact]
    public async Task The_app_s_JSON_naming_policy_does_not_rename_what_Zoom_reads()
    {
        var client = await StartAsync(zoom => zoom.Services.Configure<JsonOptions>(json =>
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseUpper));

        using var validation = await PostSignedAsync(client, Payloads.UrlValidation("plain-token-1"));
        var reply = JsonDocument.Parse(await validation.Content.ReadAsStringAsync()).RootElement;
        reply.GetProperty("plainToken").GetString().Should().Be("plain-token-1");
        reply.GetProperty("encryptedToken").GetString().Should().Be(ZoomSignature.EncryptToken(Secret, "plain-token-1"));

        using var accepted = await PostSignedAsync(client, Payloads.MeetingStarted());
        JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString().Should().Be("accepted");
    }

    [Fact]
    public async Task An_app_that_requires_authorization_everywhere_still_receives_Zoom_s_deliveries()
    {
        var client = await StartAsync(zoom => zoom.Services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build()), authorize: true);

        (await PostSignedAsync(client, Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        TempDatabase.Delete(_database);
    }

    private async Task<HttpClient> StartAsync(Action<ZoomWebhooksBuilder> features, bool again = false, bool authorize = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zoom:Environments:Development:SecretToken"] = Secret,
            ["ConnectionStrings:Inbox"] = $"Data Source={_database}",
            ["Admin:ApiKey"] = AdminKey,
        });
        features(builder.AddZoomWebhooks());
        if (again)
        {
            features(builder.AddZoomWebhooks());
        }

        _app = builder.Build();
        if (authorize)
        {
            _app.UseAuthorization();
        }

        _app.MapZoomWebhooks();
        await _app.StartAsync();
        return _app.GetTestClient();
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string body)
    {
        using var request = SignedRequest.Create(Encoding.UTF8.GetBytes(body), Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return await client.SendAsync(request);
    }
}
