using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Webhooks;

/// <summary>One test (at least) per row of the endpoint's table in the receiver issue.</summary>
public sealed class WebhookEndpointTests : IDisposable
{
    private readonly ServiceFactory _factory = new(new Dictionary<string, string?> { ["Zoom:Webhooks:MaxBodyBytes"] = "2048" });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_body_over_the_limit_with_a_content_length_is_413()
    {
        var response = await _factory.PostSignedAsync(Payloads.Custom("meeting.created", uuid: new string('x', 2100)));

        await ShouldBeProblem(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_content_length_is_413()
    {
        var body = Encoding.UTF8.GetBytes(Payloads.Custom("meeting.created", uuid: new string('x', 2100)));
        using var request = Signed(body);
        request.Content = new StreamContent(new NonSeekableStream(body));
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentLength.Should().BeNull();

        var response = await _factory.CreateClient().SendAsync(request);

        await ShouldBeProblem(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_accepted()
    {
        var body = Payloads.Custom("meeting.created");
        body = body.Replace("\"id\":\"1\"", "\"id\":\"1\",\"pad\":\"" + new string('p', 2048 - body.Length - 9) + "\"", StringComparison.Ordinal);
        Encoding.UTF8.GetByteCount(body).Should().Be(2048);

        (await _factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(ZoomSignature.SignatureHeader)]
    [InlineData(ZoomSignature.TimestampHeader)]
    public async Task A_missing_signature_header_is_401(string missing)
    {
        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted());
        using var request = Signed(body);
        request.Headers.Remove(missing);

        var response = await _factory.CreateClient().SendAsync(request);

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "missing_signature_headers");
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("1780000000.5")]
    [InlineData("-5")]
    public async Task A_timestamp_that_is_not_whole_seconds_is_401(string timestamp)
    {
        var response = await _factory.PostSignedAsync(Payloads.MeetingStarted(), headers: new Dictionary<string, string>
        {
            [ZoomSignature.TimestampHeader] = timestamp,
        });

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_timestamp");
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(+301)]
    public async Task A_timestamp_outside_the_tolerance_is_401_even_when_correctly_signed(int offsetSeconds)
    {
        var timestamp = _factory.Time.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;

        var response = await _factory.PostSignedAsync(Payloads.MeetingStarted(), timestamp: timestamp);

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_timestamp");
    }

    [Fact]
    public async Task The_tolerance_follows_the_injected_clock()
    {
        var signedAt = _factory.Time.GetUtcNow().ToUnixTimeSeconds();
        _factory.FakeTime.Advance(TimeSpan.FromMinutes(6));

        var response = await _factory.PostSignedAsync(Payloads.MeetingStarted(), timestamp: signedAt);

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_timestamp");
    }

    [Theory]
    [InlineData("v0=1234")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_signature_that_is_not_v0_and_64_hex_is_401(string signature)
    {
        var response = await _factory.PostSignedAsync(Payloads.MeetingStarted(), headers: new Dictionary<string, string>
        {
            [ZoomSignature.SignatureHeader] = signature,
        });

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_signature");
    }

    [Fact]
    public async Task A_signature_under_another_secret_is_401_and_nothing_is_stored()
    {
        var response = await _factory.PostSignedAsync(Payloads.MeetingStarted(), secret: "somebody-elses-secret-token");

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_signature");
        (await InboxRows.ReadAsync(_factory.DatabasePath)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_401()
    {
        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted());
        using var request = Signed(body);
        body[^2] = (byte)'1';
        request.Content = ServiceFactory.Json(body);

        await ShouldBeProblem(await _factory.CreateClient().SendAsync(request), HttpStatusCode.Unauthorized, "invalid_signature");
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("not json at all")]
    [InlineData("""{"event":42,"payload":{}}""")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("""{"event":"","payload":{}}""")]
    [InlineData("""{"event":"meeting.started","payload":""")]
    public async Task A_verified_body_that_is_not_an_event_envelope_is_400(string body)
    {
        var response = await _factory.PostSignedAsync(body);

        await ShouldBeProblem(response, HttpStatusCode.BadRequest, "malformed_payload");
    }

    [Fact]
    public async Task A_verified_url_validation_is_answered_with_the_encrypted_token()
    {
        var response = await _factory.PostSignedAsync(Payloads.UrlValidation("qwErTy-123_plain"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        reply.GetProperty("plainToken").GetString().Should().Be("qwErTy-123_plain");
        reply.GetProperty("encryptedToken").GetString().Should()
            .Be(ZoomSignature.EncryptToken(ServiceFactory.DevelopmentSecret, "qwErTy-123_plain"))
            .And.MatchRegex("^[0-9a-f]{64}$");
        (await InboxRows.ReadAsync(_factory.DatabasePath)).Should().BeEmpty("a challenge is not an event");
    }

    [Fact]
    public async Task A_url_validation_without_a_plain_token_is_400()
    {
        var response = await _factory.PostSignedAsync("""{"payload":{},"event_ts":1,"event":"endpoint.url_validation"}""");

        await ShouldBeProblem(response, HttpStatusCode.BadRequest, "malformed_payload");
    }

    [Fact]
    public async Task An_unsigned_url_validation_is_401_so_the_endpoint_is_never_a_signing_oracle()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zoom")
        {
            Content = ServiceFactory.Json(Encoding.UTF8.GetBytes(Payloads.UrlValidation("forge-me"))),
        };

        var response = await _factory.CreateClient().SendAsync(request);

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "missing_signature_headers");
        (await response.Content.ReadAsStringAsync()).Should().NotContain(ZoomSignature.EncryptToken(ServiceFactory.DevelopmentSecret, "forge-me"));
    }

    [Fact]
    public async Task A_badly_signed_url_validation_is_401()
    {
        var response = await _factory.PostSignedAsync(Payloads.UrlValidation("forge-me"), secret: "attacker-chosen-secret-000");

        await ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_signature");
    }

    [Fact]
    public async Task A_new_verified_event_is_stored_byte_for_byte_then_accepted()
    {
        // Raw UTF-8, \uD83D escapes and '+' '/' in the UUID: signed and stored exactly as sent.
        var body = """{"event":"meeting.started","payload":{"account_id":"a","object":{"uuid":"Zq+Kd/9x==","id":"81234567890","topic":"Café 🚀 \uD83D\uDE92 – ok"}},"event_ts":1780000000123}""";

        var response = await _factory.PostSignedAsync(body, requestId: "req-stored-1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"status":"accepted"}""");
        var row = (await InboxRows.ReadAsync(_factory.DatabasePath)).Should().ContainSingle().Subject;
        row.Body.Should().Equal(Encoding.UTF8.GetBytes(body));
        row.RequestId.Should().Be("req-stored-1");
        row.EventName.Should().Be("meeting.started");
    }

    [Fact]
    public async Task A_retry_with_the_same_request_id_is_a_duplicate_and_is_stored_once()
    {
        var body = Payloads.MeetingStarted();
        (await _factory.PostSignedAsync(body, requestId: "same-id")).StatusCode.Should().Be(HttpStatusCode.OK);
        _factory.FakeTime.Advance(TimeSpan.FromMinutes(5));

        // Zoom's retry: same bytes and request id, fresh timestamp and signature.
        var retry = await _factory.PostSignedAsync(body, requestId: "same-id");

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        (await retry.Content.ReadAsStringAsync()).Should().Be("""{"status":"duplicate"}""");
        (await InboxRows.ReadAsync(_factory.DatabasePath)).Should().ContainSingle();
    }

    [Fact]
    public async Task The_same_body_under_another_request_id_is_a_duplicate()
    {
        var body = Payloads.MeetingStarted();
        await _factory.PostSignedAsync(body, requestId: "first");

        var again = await _factory.PostSignedAsync(body, requestId: "second-subscription");

        (await again.Content.ReadAsStringAsync()).Should().Be("""{"status":"duplicate"}""");
        (await InboxRows.ReadAsync(_factory.DatabasePath)).Should().ContainSingle();
    }

    [Fact]
    public async Task A_store_that_cannot_write_gives_503_never_200()
    {
        var (inbox, faults) = FaultyInbox.Wrap(new SqliteInbox($"Data Source={TempDatabase.NewPath()}"), nameof(IInbox.AcceptAsync));
        using var factory = new ServiceFactory().WithServices(services => services.AddSingleton(inbox));

        var response = await factory.PostSignedAsync(Payloads.MeetingStarted());

        await ShouldBeProblem(response, HttpStatusCode.ServiceUnavailable, "inbox_unavailable");
        faults.FailedCalls.Should().Be(1);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("disk I/O");
    }

    [Fact]
    public async Task A_store_that_hangs_gives_503_at_the_accept_deadline_not_a_timeout_at_Zoom()
    {
        var (inbox, faults) = FaultyInbox.Hanging(new SqliteInbox($"Data Source={TempDatabase.NewPath()}"), nameof(IInbox.AcceptAsync));
        using var factory = new ServiceFactory().WithServices(services => services.AddSingleton(inbox));
        _ = factory.Server;

        var answer = factory.PostSignedAsync(Payloads.MeetingStarted());
        await Eventually.Until(() => Task.FromResult(faults.FailedCalls), calls => calls == 1);
        answer.IsCompleted.Should().BeFalse("the store has not answered yet");
        factory.FakeTime.Advance(TimeSpan.FromSeconds(2));

        await ShouldBeProblem(await answer.WaitAsync(TimeSpan.FromSeconds(15)), HttpStatusCode.ServiceUnavailable, "inbox_unavailable");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_415(string contentType)
    {
        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted());
        using var request = Signed(body);
        request.Content!.Headers.ContentType = new(contentType);

        await ShouldBeProblem(await _factory.CreateClient().SendAsync(request), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_missing_content_type_is_415()
    {
        using var request = Signed(Encoding.UTF8.GetBytes(Payloads.MeetingStarted()));
        request.Content!.Headers.ContentType = null;

        await ShouldBeProblem(await _factory.CreateClient().SendAsync(request), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    private HttpRequestMessage Signed(byte[] body) =>
        SignedRequest.Create(body, ServiceFactory.DevelopmentSecret, _factory.Time.GetUtcNow().ToUnixTimeSeconds());

    internal static async Task ShouldBeProblemStatus(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32().Should().Be((int)status);
    }

    internal static async Task ShouldBeProblem(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("reason").GetString().Should().Be(reason);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
