using System.Net;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

public abstract partial class InboxContractTests
{
    [Fact]
    public async Task The_service_on_this_provider_stores_a_delivery_once_and_dispatches_it_once()
    {
        var counter = new DispatchCounter();
        using var factory = new ServiceFactory(HostSettings).WithServices(s => DispatchCounter.Register(s, counter));
        var body = """{"event":"meeting.started","event_ts":1772441000000,"payload":{"object":{"uuid":"host-m1","id":"1"}}}""";

        var first = await factory.PostSignedAsync(body, requestId: "req-host-1");
        var retry = await factory.PostSignedAsync(body, requestId: "req-host-1");

        (await first.Content.ReadAsStringAsync()).Should().Be("""{"status":"accepted"}""");
        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retry.Content.ReadAsStringAsync()).Should().Be("""{"status":"duplicate"}""");
        var id = await Eventually.Until(() => Task.FromResult(counter.Counts.Keys.FirstOrDefault()), k => k != 0, because: "the event is dispatched");
        await Eventually.Until(() => factory.Inbox.FindAsync(id, CancellationToken.None), e => e!.Status == InboxStatus.Done);
        counter.Total.Should().Be(1);
    }
}
