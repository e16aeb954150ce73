using System.Net;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Webhooks;

public sealed class SmokeTests
{
    [Fact]
    public async Task A_signed_event_is_accepted()
    {
        using var factory = new ServiceFactory();
        var response = await factory.PostSignedAsync("""{"event":"meeting.started","event_ts":1,"payload":{"object":{"uuid":"u","id":"1"}}}""");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"status":"accepted"}""");
    }
}
