using System.Diagnostics;
using System.Net;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Telemetry;

[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    [Fact]
    public async Task A_forged_delivery_s_span_does_not_keep_the_request_id_it_chose()
    {
        using var factory = new ServiceFactory();
        var spans = TracedService.AddTo(factory);
        var (traceId, _, traceParent) = TracedService.ZoomTraceParent();

        var response = await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: "not-the-secret-token-at-all", requestId: "forged-id",
            headers: new Dictionary<string, string> { ["traceparent"] = traceParent });
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var trace = await spans.WaitForAsync(traceId, t => t.Any(s => s.OperationName == "zoomwebhooks.accept"), "the forged delivery's accept span");
        var accept = trace.Single(s => s.OperationName == "zoomwebhooks.accept");
        accept.GetTagItem("zoomwebhooks.outcome").Should().Be("rejected");
        accept.GetTagItem("messaging.message.id").Should().BeNull();
    }

    [Fact]
    public async Task A_delivery_with_zoom_s_traceparent_is_one_trace_from_the_accept_to_each_handler()
    {
        using var factory = new ServiceFactory();
        var handler = new RecordingHandler();
        factory.WithServices(s => RecordingHandler.AddTo(s, handler));
        var spans = TracedService.AddTo(factory);
        var (traceId, zoomSpanId, traceParent) = TracedService.ZoomTraceParent();
        var uuid = Payloads.NewUuid();

        var response = await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, 1_780_000_001_000), requestId: "req-trace-1",
            headers: new Dictionary<string, string> { ["traceparent"] = traceParent });
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        // Each span is exported when it ends; the request's own ends after the response is sent.
        var trace = await spans.WaitForAsync(traceId, t => t.Count(s => s.OperationName == "zoomwebhooks.handle") >= 2
                && t.Any(s => s.Kind == ActivityKind.Server) && t.Any(s => s.OperationName == "zoomwebhooks.dispatch"),
            "the request, the dispatch and the handler spans of the typed and the generic notification");
        var server = trace.Single(s => s.Kind == ActivityKind.Server);
        server.ParentSpanId.Should().Be(zoomSpanId, "ASP.NET Core continues Zoom's traceparent");
        var accept = trace.Single(s => s.OperationName == "zoomwebhooks.accept");
        accept.ParentSpanId.Should().Be(server.SpanId);
        // That these spans were exported at all proves Zoom's flags 02 did not decide our sampling
        // (the in-memory exporter only ever sees recorded spans).
        accept.GetTagItem("messaging.system").Should().Be("zoom");
        accept.GetTagItem("messaging.destination.name").Should().Be("meeting.participant_joined");
        accept.GetTagItem("messaging.message.id").Should().Be("req-trace-1");
        accept.GetTagItem("zoomwebhooks.outcome").Should().Be("accepted");
        var inboxId = accept.GetTagItem("zoomwebhooks.inbox.id");
        inboxId.Should().NotBeNull();
        trace.Single(s => s.OperationName == "zoomwebhooks.verify").ParentSpanId.Should().Be(accept.SpanId);
        trace.Single(s => s.OperationName == "zoomwebhooks.store").ParentSpanId.Should().Be(accept.SpanId);

        var dispatch = trace.Single(s => s.OperationName == "zoomwebhooks.dispatch");
        dispatch.ParentSpanId.Should().Be(accept.SpanId, "the attempt continues the stored trace context");
        dispatch.Kind.Should().Be(ActivityKind.Consumer);
        dispatch.GetTagItem("zoomwebhooks.inbox.id").Should().Be(inboxId);
        dispatch.GetTagItem("zoomwebhooks.dispatch.attempt").Should().Be(1);
        dispatch.GetTagItem("zoomwebhooks.outcome").Should().Be("done");
        dispatch.GetTagItem("zoom.meeting.uuid").Should().Be(uuid);
        var handlers = trace.Where(s => s.OperationName == "zoomwebhooks.handle").ToList();
        handlers.Should().OnlyContain(s => s.ParentSpanId == dispatch.SpanId);
        handlers.Select(s => s.GetTagItem("zoomwebhooks.notification")).Should().Contain(["ParticipantJoined", "ZoomEventReceived"]);
        handlers.Select(s => s.GetTagItem("zoomwebhooks.handler")).Should().Contain(typeof(RecordingHandler).FullName);
        handler.Received.Should().NotBeEmpty();

        var attemptLine = await Eventually.Until(() => Task.FromResult(factory.Logs.WithProperty("Attempt", 1).ToList()), l => l.Count > 0,
            because: "the dispatch line");
        attemptLine.Single().TraceId.Should().Be(traceId, "the dispatch line carries the delivery's trace id");

        var tagText = string.Join("\n", trace.SelectMany(s => s.TagObjects).Select(t => $"{t.Key}={t.Value}"));
        tagText.Should().NotContain(ServiceFactory.DevelopmentSecret).And.NotContain("ada@example.test").And.NotContain("Ada L");
    }

    [Fact]
    public async Task A_retried_event_s_second_attempt_is_in_the_same_trace()
    {
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Publish:Retries"] = "0" });
        var failures = 0;
        var handler = new RecordingHandler
        {
            OnGeneric = (_, _) => Interlocked.Increment(ref failures) == 1 ? throw new InvalidOperationException("first try fails") : Task.CompletedTask,
        };
        factory.WithServices(s => RecordingHandler.AddTo(s, handler));
        var spans = TracedService.AddTo(factory);
        var (traceId, _, traceParent) = TracedService.ZoomTraceParent();

        (await factory.PostSignedAsync(Payloads.MeetingStarted(), headers: new Dictionary<string, string> { ["traceparent"] = traceParent }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        // The retry is due Inbox:RetryDelay later on the service's clock, which the test moves on
        // while it waits (the dispatcher may start its wait before or after any one move).
        var trace = await Eventually.Until(
            () =>
            {
                factory.FakeTime.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(spans.Of(traceId));
            },
            t => t.Count(s => s.OperationName == "zoomwebhooks.dispatch") >= 2, because: "two attempts");
        var accept = trace.Single(s => s.OperationName == "zoomwebhooks.accept");
        var attempts = trace.Where(s => s.OperationName == "zoomwebhooks.dispatch")
            .OrderBy(s => (int)s.GetTagItem("zoomwebhooks.dispatch.attempt")!).ToList();
        attempts.Should().OnlyContain(s => s.ParentSpanId == accept.SpanId);
        attempts[0].GetTagItem("zoomwebhooks.outcome").Should().Be("retry");
        attempts[0].Status.Should().Be(ActivityStatusCode.Error);
        attempts[0].GetTagItem("error.type").Should().Be(typeof(InvalidOperationException).FullName);
        attempts[1].GetTagItem("zoomwebhooks.dispatch.attempt").Should().Be(2);
        attempts[1].GetTagItem("zoomwebhooks.outcome").Should().Be("done");
        handler.Generic.Should().ContainSingle();
    }

    [Fact]
    public async Task Without_an_sdk_the_dispatch_line_still_carries_the_delivery_s_trace_id()
    {
        using var factory = new ServiceFactory();
        var handler = new RecordingHandler();
        factory.WithServices(s => RecordingHandler.AddTo(s, handler));
        var (traceId, _, traceParent) = TracedService.ZoomTraceParent();

        (await factory.PostSignedAsync(Payloads.MeetingStarted(), headers: new Dictionary<string, string> { ["traceparent"] = traceParent }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await handler.WaitForGenericAsync(1);

        var attemptLine = await Eventually.Until(() => Task.FromResult(factory.Logs.WithProperty("Attempt", 1).ToList()), l => l.Count > 0,
            because: "the dispatch line");
        attemptLine.Single().TraceId.Should().Be(traceId);
    }
}
