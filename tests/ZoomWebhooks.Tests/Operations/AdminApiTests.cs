using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;
using ZoomWebhooks.Tests.Webhooks;

namespace ZoomWebhooks.Tests.Operations;

public sealed class AdminApiTests
{
    private const string Key = "admin-key-Zx91-long-enough-for-tests-0001";

    [Fact]
    public async Task Without_a_configured_key_the_admin_api_is_off()
    {
        using var factory = new ServiceFactory();

        var response = await Client(factory, Key).GetAsync(new Uri("/admin/events", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("admin-key-Zx91-long-enough-0001")]
    public async Task An_admin_key_shorter_than_32_characters_stops_the_service_naming_the_key(string key)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Admin__ApiKey"] = key,
        });

        var exitCode = await service.WaitForExitAsync();

        exitCode.Should().NotBe(0, service.Output);
        service.Output.Split('\n').Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal))
            .Which.Should().Contain("Start-up refused: Admin:ApiKey is shorter than 32 characters");
        if (key.Length > 1)
        {
            service.Output.Should().NotContain(key);
        }
    }

    [Fact]
    public async Task An_admin_key_of_32_characters_turns_the_api_on()
    {
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Admin:ApiKey"] = new string('k', 16) + "0123456789abcdef" });

        var response = await Client(factory, new string('k', 16) + "0123456789abcdef").GetAsync(new Uri("/admin/events", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(Key + "x")]
    public async Task A_missing_or_wrong_key_is_401_and_the_key_is_never_logged(string? presented)
    {
        using var factory = Factory();

        var response = await Client(factory, presented).GetAsync(new Uri("/admin/events", UriKind.Relative));

        await WebhookEndpointTests.ShouldBeProblemStatus(response, HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        factory.Logs.AllText().Should().Contain("refused").And.NotContain(Key);
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_are_rate_limited_but_the_right_key_still_passes()
    {
        using var factory = Factory(new Dictionary<string, string?> { ["Admin:FailuresPerMinute"] = "3" });
        var wrong = Client(factory, "guess");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await wrong.GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests);

        // Anyone who can reach the service can fail ten times; that must not lock the operator out.
        (await Client(factory, Key).GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await wrong.GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests,
            "a success does not reset the failures counted for the address");
    }

    [Fact]
    public async Task A_dead_event_replayed_through_the_api_is_dispatched_successfully()
    {
        var handler = new RecordingHandler();
        var downstreamUp = false;
        handler.OnGeneric = (_, _) => Volatile.Read(ref downstreamUp) ? Task.CompletedTask : throw new InvalidOperationException("CRM down");
        using var factory = Factory(new Dictionary<string, string?> { ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        var admin = Client(factory, Key);

        var dead = await Eventually.Until(() => ListAsync(admin, "?status=dead"), items => items.Count == 1);
        dead[0].GetProperty("lastError").GetString().Should().Be("InvalidOperationException: CRM down");
        var detail = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/admin/events/{dead[0].GetProperty("id").GetInt64()}", UriKind.Relative));
        detail.GetProperty("body").GetString().Should().Contain("meeting.created");
        Volatile.Write(ref downstreamUp, true);

        var replay = await admin.PostAsync(new Uri($"/admin/events/{dead[0].GetProperty("id").GetInt64()}/replay", UriKind.Relative), null);

        (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32().Should().Be(1);
        await handler.WaitForGenericAsync(1);
        var done = await Eventually.Until(() => ListAsync(admin, "?status=done"), items => items.Count == 1);
        done[0].GetProperty("attempts").GetInt32().Should().Be(1);
        factory.Logs.AllText().Should().Contain("Admin replayed 1 events");
    }

    [Fact]
    public async Task Replay_by_status_and_purge_answer_how_many_and_refuse_unfinished_or_unbounded_requests()
    {
        var handler = new RecordingHandler { OnGeneric = (_, _) => throw new InvalidOperationException("always") };
        using var factory = Factory(new Dictionary<string, string?> { ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        await factory.PostSignedAsync(Payloads.Custom("meeting.deleted"));
        var admin = Client(factory, Key);
        await Eventually.Until(() => ListAsync(admin, "?status=dead"), items => items.Count == 2);

        (await admin.PostAsync(new Uri("/admin/events/replay?status=pending", UriKind.Relative), null)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.DeleteAsync(new Uri("/admin/events?status=dead", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.GetAsync(new Uri("/admin/events?limit=0", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.GetAsync(new Uri("/admin/events/999999", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var purge = await admin.DeleteAsync(new Uri($"/admin/events?status=dead&before={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}", UriKind.Relative));

        (await purge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt32().Should().Be(2);
        (await InboxRows.ReadAsync(factory.DatabasePath)).Should().BeEmpty();
    }

    [Fact]
    public async Task Replaying_an_event_still_pending_is_a_conflict()
    {
        using var factory = Factory().WithServices(s => RecordingHandler.AddTo(s, RecordingHandler.Stuck().Handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
        var id = (await InboxRows.ReadAsync(factory.DatabasePath)).Single().Id;

        var response = await Client(factory, Key).PostAsync(new Uri($"/admin/events/{id}/replay", UriKind.Relative), null);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private static ServiceFactory Factory(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        settings ??= [];
        settings["Admin:ApiKey"] = Key;
        return new ServiceFactory(settings, time);
    }

    private static HttpClient Client(ServiceFactory factory, string? key)
    {
        var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient admin, string query)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>(new Uri("/admin/events" + query, UriKind.Relative));
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
