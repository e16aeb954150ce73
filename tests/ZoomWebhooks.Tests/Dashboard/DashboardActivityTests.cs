using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>The per-minute counts come from the receiver's own meter, per host.</summary>
public sealed class DashboardActivityTests
{
    [Fact]
    public async Task Each_outcome_is_counted_in_its_minute_and_another_host_in_the_process_keeps_its_own_counts()
    {
        var handler = new RecordingHandler { OnGeneric = (e, _) => e.EventName == "meeting.created" ? throw new InvalidOperationException("no") : Task.CompletedTask };
        using var factory = DashboardAccessTests.Factory(new() { ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" })
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        using var other = DashboardAccessTests.Factory();
        _ = other.Services;
        var body = Payloads.Custom("meeting.deleted");

        (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(Payloads.Custom("meeting.created"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(body, secret: "not-the-secret-token-at-all-000")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await factory.PostSignedAsync(Payloads.UrlValidation("p1"))).StatusCode.Should().Be(HttpStatusCode.OK);
        var activity = factory.Services.GetRequiredService<DashboardActivity>();

        var now = await Eventually.Until(() => Task.FromResult(activity.Recent(1)[0]), m => m.Dispatched == 1 && m.Dead == 1);

        now.Accepted.Should().Be(2);
        now.Duplicate.Should().Be(1);
        now.Rejected.Should().Equal(new Dictionary<string, long> { ["signature"] = 1 });
        activity.LastUrlValidation.Should().Be(factory.Time.GetUtcNow());
        activity.Recent(DashboardActivity.Minutes).Should().HaveCount(DashboardActivity.Minutes);

        factory.FakeTime.Advance(TimeSpan.FromMinutes(1));
        activity.Recent(2).Select(m => m.Accepted).Should().Equal(2, 0);
        var elsewhere = other.Services.GetRequiredService<DashboardActivity>().Recent(2);
        elsewhere.Should().OnlyContain(m => m.Accepted == 0 && m.Duplicate == 0 && m.RejectedTotal == 0);
    }
}
