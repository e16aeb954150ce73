using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Operations;

/// <summary>Each metric moves when its cause happens.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Webhook_answers_are_counted_by_outcome_and_reason_and_timed()
    {
        using var factory = new ServiceFactory();
        var body = Payloads.MeetingStarted();

        await factory.PostSignedAsync(body, requestId: "m-1");
        await factory.PostSignedAsync(body, requestId: "m-1");
        await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: "not-the-right-secret-000");
        await factory.PostSignedAsync(Payloads.MeetingStarted(), timestamp: 1);
        await factory.PostSignedAsync("[]");

        var scrape = await MetricsScrape.FromAsync(factory.CreateClient());
        const string requests = "zoomwebhooks_webhook_requests_total";
        scrape.Value(requests, ("outcome", "accepted")).Should().Be(1);
        scrape.Value(requests, ("outcome", "duplicate")).Should().Be(1);
        scrape.Value(requests, ("outcome", "rejected"), ("reason", "signature")).Should().Be(1);
        scrape.Value(requests, ("outcome", "rejected"), ("reason", "timestamp")).Should().Be(1);
        scrape.Value(requests, ("outcome", "rejected"), ("reason", "malformed")).Should().Be(1);
        scrape.Value("zoomwebhooks_webhook_request_duration_seconds_count", ("outcome", "rejected")).Should().Be(3);
    }

    [Fact]
    public async Task A_url_validation_sets_the_time_an_alert_watches()
    {
        using var factory = new ServiceFactory();
        var before = await MetricsScrape.FromAsync(factory.CreateClient());

        await factory.PostSignedAsync(Payloads.UrlValidation("watch-me"));

        before.Value("zoomwebhooks_url_validation_last_success_timestamp_seconds").Should().Be(0);
        (await MetricsScrape.FromAsync(factory.CreateClient())).Value("zoomwebhooks_url_validation_last_success_timestamp_seconds")
            .Should().Be(factory.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, "the fake clock's time");
    }

    [Fact]
    public async Task Dispatch_attempts_lag_and_inbox_gauges_move_and_unknown_events_share_one_label()
    {
        var handler = new RecordingHandler();
        var failOnce = 1;
        handler.OnGeneric = (n, _) => n.EventName == "meeting.started" && Interlocked.Exchange(ref failOnce, 0) == 1
            ? throw new InvalidOperationException("first try fails")
            : Task.CompletedTask;
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Publish:Retries"] = "0" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));

        await factory.PostSignedAsync(Payloads.MeetingStarted());
        foreach (var invented in new[] { "made.up_one", "made.up_two", "made.up_three" })
        {
            await factory.PostSignedAsync(Payloads.Custom(invented));
        }

        await handler.WaitForGenericAsync(4);
        await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), r => r.All(x => x.Status == InboxStatus.Done));
        var scrape = await Eventually.Until(
            () => MetricsScrape.FromAsync(factory.CreateClient()),
            s => s.Value("zoomwebhooks_dispatch_attempts_total", ("event", "other"), ("outcome", "done")) == 3);
        scrape.Value("zoomwebhooks_dispatch_attempts_total", ("event", "meeting.started"), ("outcome", "retry")).Should().Be(1);
        scrape.Value("zoomwebhooks_dispatch_attempts_total", ("event", "meeting.started"), ("outcome", "done")).Should().Be(1);
        scrape.Value("zoomwebhooks_dispatch_lag_seconds_count", ("event", "other")).Should().Be(3);
        scrape.Value("zoomwebhooks_dispatch_duration_seconds_count", ("event", "meeting.started")).Should().Be(2);
        scrape.Value("zoomwebhooks_inbox_events", ("status", "done")).Should().Be(4);
        scrape.Value("zoomwebhooks_inbox_events", ("status", "pending")).Should().Be(0);
        scrape.Text.Should().NotContain("made.up");
    }

    [Fact]
    public async Task The_dead_gauge_counts_dead_events()
    {
        var handler = new RecordingHandler { OnGeneric = (_, _) => throw new InvalidOperationException("always") };
        using var factory = new ServiceFactory(
            new Dictionary<string, string?> { ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));

        await factory.PostSignedAsync(Payloads.Custom("meeting.created"));

        var scrape = await Eventually.Until(
            () => MetricsScrape.FromAsync(factory.CreateClient()),
            s => s.Value("zoomwebhooks_inbox_events", ("status", "dead")) == 1);
        scrape.Value("zoomwebhooks_dispatch_attempts_total", ("event", "other"), ("outcome", "dead")).Should().Be(1);
    }
}
