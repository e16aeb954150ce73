using System.Net;
using System.Text;
using Xunit.Abstractions;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>
/// Hostile and odd input against the endpoint: every answer is 4xx, or 200 when the input is
/// valid JSON with a string event however odd, never 5xx; and whatever got stored never stalls
/// the dispatcher (it ends done, or dead with its error). Seeded, so a failure can be replayed.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int Seed = 20261129;
    private const int Cases = 1500;

    [Fact]
    public async Task Thousands_of_random_and_malformed_bodies_never_get_a_5xx_and_never_stall_the_dispatcher()
    {
        var random = new Random(Seed);
        var handler = new RecordingHandler();
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Zoom:Webhooks:MaxBodyBytes"] = "65536" }, TimeProvider.System)
            .WithServices(s => RecordingHandler.AddTo(s, handler));
        var client = factory.CreateClient();
        var statuses = new Dictionary<int, int>();
        var accepted = 0;

        for (var i = 0; i < Cases; i++)
        {
            var body = HostileBodies.Next(random, i);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zoom") { Content = ServiceFactory.Json(body) };
            if (random.Next(10) > 0)
            {
                var ts = factory.Time.GetUtcNow().ToUnixTimeSeconds();
                request.Headers.Add(ZoomSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(ZoomSignature.SignatureHeader, ZoomSignature.Sign(ServiceFactory.DevelopmentSecret, ts, body));
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            accepted += (await response.Content.ReadAsStringAsync()).Contains("\"accepted\"", StringComparison.Ordinal) ? 1 : 0;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            status.Should().BeOneOf([200, 400, 401, 413], $"case {i} (seed {Seed}): {Preview(body)}");
        }

        output.WriteLine(string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        statuses.Keys.Should().Contain([200, 400, 401], "the generator reaches every kind of answer");
        var rows = await Eventually.Until(
            () => InboxRows.ReadAsync(factory.DatabasePath),
            r => r.All(x => x.Status is InboxStatus.Done or InboxStatus.Dead),
            TimeSpan.FromSeconds(60),
            "every stored event dispatched or dead");
        rows.Should().HaveCount(accepted, "each 'accepted' stored exactly one row");
        rows.Where(r => r.Status == InboxStatus.Dead).All(r => r.LastError != null).Should().BeTrue("a dead event keeps its error");
        (await factory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Memory_stays_bounded_under_a_flood_of_hostile_requests_to_the_real_process()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = ServiceFactory.DevelopmentSecret,
            ["Serilog__MinimumLevel__Default"] = "Warning",
        });
        await service.WaitForOutputAsync("Application started");
        using var client = new HttpClient();
        var random = new Random(Seed);
        var peak = 0L;

        for (var i = 0; i < 3000; i++)
        {
            var body = i % 50 == 0 ? new byte[300_000] : HostileBodies.Next(random, i);
            using var request = SignedRequest.Create(body, ServiceFactory.DevelopmentSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                path: $"http://127.0.0.1:{service.Port}{SignedRequest.Path}");
            using var response = await client.SendAsync(request);
            ((int)response.StatusCode).Should().BeLessThan(500, $"case {i}");
            peak = i % 100 == 0 ? Math.Max(peak, service.ResidentBytes) : peak;
        }

        output.WriteLine($"peak resident memory {peak / 1_048_576} MB over 3,000 hostile requests");
        // A bound, not a timing: the 150 MB for load, with room for the test host's JIT.
        peak.Should().BeLessThan(200L * 1024 * 1024);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(64)]
    public async Task Deeply_nested_json_is_refused_as_malformed(int depth)
    {
        using var factory = new ServiceFactory();
        var body = "{\"event\":\"meeting.started\",\"payload\":" + new string('[', depth) + new string(']', depth) + "}";

        var status = (await factory.PostSignedAsync(body)).StatusCode;

        status.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_as_malformed_even_when_signed()
    {
        using var factory = new ServiceFactory();
        byte[] body = [.. "{\"event\":\"meeting.started\",\"x\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];

        (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_valid_signature_moved_onto_another_body_or_replayed_late_is_refused()
    {
        using var factory = new ServiceFactory();
        var original = Encoding.UTF8.GetBytes(Payloads.MeetingStarted());
        var ts = factory.Time.GetUtcNow().ToUnixTimeSeconds();
        var signature = ZoomSignature.Sign(ServiceFactory.DevelopmentSecret, ts, original);
        var headers = new Dictionary<string, string> { [ZoomSignature.SignatureHeader] = signature, [ZoomSignature.TimestampHeader] = $"{ts}" };

        var moved = await factory.PostSignedAsync(Encoding.UTF8.GetBytes(Payloads.MeetingStarted()), headers: headers);
        factory.FakeTime.Advance(TimeSpan.FromMinutes(10));
        var replayed = await factory.PostSignedAsync(original, headers: headers);

        moved.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        replayed.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await InboxRows.ReadAsync(factory.DatabasePath)).Should().BeEmpty();
    }

    private static string Preview(byte[] body) =>
        Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120)).ReplaceLineEndings(" ");
}
