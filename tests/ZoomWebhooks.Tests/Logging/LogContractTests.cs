using System.Net;
using System.Text;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Logging;

/// <summary>The completion line's fields are a contract for dashboards, and no secret ever reaches a log.</summary>
[Collection(Telemetry.TracingCollection.Name)]
public sealed class LogContractTests
{
    private const string ClientSecret = "OAuthClientSecretValue77";
    private const string PreviousToken = "UHJldmlvdXNQcm9kVG9rZW4y";
    private const string DownloadToken = "dl-tok-eyJhbGciOiJIUzI1NiJ9.payload.sig";
    private const string Passcode = "pc-8842913";
    private const string Email = "grace.hopper@example.test";
    private const string PlainToken = "pt-Zx81-qq0";

    [Fact]
    public async Task A_full_scenario_logs_no_secret_token_signature_or_sensitive_payload_field()
    {
        using var factory = new ServiceFactory(new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = "Production",
            ["Zoom:Environments:Production:ClientSecret"] = ClientSecret,
            ["Zoom:Environments:Production:PreviousSecretTokens:0"] = PreviousToken,
            ["Zoom:Environments:Development:ClientSecret"] = "DevClientSecretValue55",
        });
        var handler = new RecordingHandler();
        factory.WithServices(s => RecordingHandler.AddTo(s, handler));
        var spans = Telemetry.TracedService.AddTo(factory);
        var uuid = Payloads.NewUuid();
        var recording = $$$"""{"event":"recording.completed","event_ts":1780000000999,"download_token":"{{{DownloadToken}}}","payload":{"account_id":"a","object":{"uuid":"{{{uuid}}}","id":5,"password":"{{{Passcode}}}","recording_play_passcode":"{{{Passcode}}}","recording_files":[{"download_url":"https://zoom.example/rec/1"}]}} }""";
        var bodies = new[]
        {
            Payloads.UrlValidation(PlainToken),
            recording,
            Payloads.ParticipantJoined(uuid, 1_780_000_001_000, email: Email),
        };

        foreach (var body in bodies)
        {
            (await factory.PostSignedAsync(body, secret: ServiceFactory.ProductionSecret)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await factory.PostSignedAsync(recording, secret: PreviousToken, requestId: "again")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.DevelopmentSecret)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.ProductionSecret,
            headers: new Dictionary<string, string> { ["clientid"] = "SomeOtherApp" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await handler.WaitForGenericAsync(2);

        var ts = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        var forbidden = new List<string>
        {
            ServiceFactory.ProductionSecret, ServiceFactory.DevelopmentSecret, PreviousToken, ClientSecret, "DevClientSecretValue55",
            DownloadToken, Passcode, Email, PlainToken, ZoomSignature.EncryptToken(ServiceFactory.ProductionSecret, PlainToken), recording,
        };
        forbidden.AddRange(bodies.Select(b => ZoomSignature.Sign(ServiceFactory.ProductionSecret, ts, Encoding.UTF8.GetBytes(b))[3..]));
        var logs = factory.Logs.AllText();
        logs.Should().Contain("recording.completed").And.Contain(uuid, "the scenario did log, so the search means something");
        foreach (var secret in forbidden)
        {
            logs.Should().NotContain(secret);
        }

        // The same holds for every span and attribute exported (issue 19).
        await Eventually.Until(() => Task.FromResult(spans.ToList()), s => s.Count(a => a.OperationName == "zoomwebhooks.dispatch") >= 2,
            because: "the dispatch spans");
        var exported = string.Join("\n", spans.Select(a => a.DisplayName + " " + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))));
        exported.Should().Contain("recording.completed", "spans were exported, so the search means something");
        foreach (var secret in forbidden)
        {
            exported.Should().NotContain(secret);
        }
    }

    [Fact]
    public async Task Every_webhook_request_ends_with_one_line_carrying_the_contract_fields()
    {
        using var factory = new ServiceFactory();

        await factory.PostSignedAsync(Payloads.MeetingStarted(), requestId: "req-accepted");
        await factory.PostSignedAsync(Payloads.UrlValidation("abc"), requestId: "req-validated");
        await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: "wrong-secret-value-0000", requestId: "req-rejected");

        var accepted = await CompletionLine(factory, "req-accepted");
        LogCapture.Scalar(accepted, "ZoomEvent").Should().Be("meeting.started");
        LogCapture.Scalar(accepted, "Outcome").Should().Be("accepted");
        LogCapture.Scalar(accepted, "StatusCode").Should().Be(200);
        LogCapture.Scalar(accepted, "ElapsedMs").Should().BeOfType<double>();
        accepted.Properties.Should().NotContainKey("Reason");
        LogCapture.Scalar(await CompletionLine(factory, "req-validated"), "Outcome").Should().Be("validated");
        var rejected = await CompletionLine(factory, "req-rejected");
        LogCapture.Scalar(rejected, "Outcome").Should().Be("rejected");
        LogCapture.Scalar(rejected, "Reason").Should().Be("signature_mismatch");
        LogCapture.Scalar(rejected, "StatusCode").Should().Be(401);
    }

    [Fact]
    public async Task Every_dispatch_attempt_logs_its_inbox_id_event_meeting_attempt_and_outcome()
    {
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory().WithServices(s => RecordingHandler.AddTo(s, handler));
        var uuid = Payloads.NewUuid();

        await factory.PostSignedAsync(Payloads.MeetingStarted(uuid));
        await handler.WaitForGenericAsync(1);

        var line = await Eventually.Until(
            () => Task.FromResult(factory.Logs.WithProperty("MeetingUuid", uuid).Where(e => e.Properties.ContainsKey("Attempt")).ToList()),
            l => l.Count == 1);
        LogCapture.Scalar(line[0], "InboxId").Should().BeOfType<long>();
        LogCapture.Scalar(line[0], "ZoomEvent").Should().Be("meeting.started");
        LogCapture.Scalar(line[0], "Attempt").Should().Be(1);
        LogCapture.Scalar(line[0], "Outcome").Should().Be("done");
    }

    // The middleware writes the line after the response has gone, so wait for it.
    private static async Task<Serilog.Events.LogEvent> CompletionLine(ServiceFactory factory, string requestId) =>
        (await Eventually.Until(
            () => Task.FromResult(factory.Logs.WithProperty("ZoomRequestId", requestId).Where(e => e.Properties.ContainsKey("ElapsedMs")).ToList()),
            lines => lines.Count > 0)).Should().ContainSingle().Subject;
}
