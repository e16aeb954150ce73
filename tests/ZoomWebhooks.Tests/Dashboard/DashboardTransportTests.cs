using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>The event page and the admin API's event say how the event came: posted by Zoom, or read from a WebSocket.</summary>
public sealed class DashboardTransportTests
{
    [Fact]
    public async Task The_event_page_and_the_admin_api_show_webhook_or_websocket()
    {
        using var factory = DashboardAccessTests.Factory();
        (await factory.PostSignedAsync("""{"event":"meeting.started","event_ts":1,"payload":{"object":{"uuid":"posted"}}}""")).EnsureSuccessStatusCode();
        var body = Encoding.UTF8.GetBytes("""{"event":"meeting.started","event_ts":2,"payload":{"object":{"uuid":"socket"}}}""");
        var accepted = await factory.Inbox.AcceptAsync(
            IncomingEvent.Create(body, "meeting.started", 2, "socket", null, null, factory.Time.GetUtcNow(), transport: IncomingEvent.WebSocket),
            CancellationToken.None);
        var socket = accepted.Id!.Value;
        var rows = await InboxRows.ReadAsync(factory.DatabasePath);
        var posted = rows.Single(r => r.Id != socket).Id;

        var browser = DashboardClient.For(factory);
        await browser.LogInAsync();
        (await browser.PageAsync($"/dashboard/events/{posted}")).Should().Contain("""id="transport">webhook<""");
        (await browser.PageAsync($"/dashboard/events/{socket}")).Should().Contain("""id="transport">websocket<""");

        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardClient.Key);
        async Task<string?> Transport(long id) =>
            JsonDocument.Parse(await api.GetStringAsync(new Uri($"/admin/events/{id}", UriKind.Relative))).RootElement.GetProperty("transport").GetString();
        (await Transport(posted)).Should().Be("webhook");
        (await Transport(socket)).Should().Be("websocket");
    }
}
