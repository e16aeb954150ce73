using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

public sealed class NewAndSignTests
{
    [Fact]
    public async Task New_prints_a_fresh_payload_with_the_changes_asked_for()
    {
        using var cli = new CliRunner();
        var sample = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(CliRunner.SamplesFolder, "recording.completed.json")))!;

        var result = await cli.RunAsync("new", "recording.completed", "--set", "payload.object.topic=Ретро 🎉", "--set", "payload.object.duration=30",
            "--set", "payload.object.recording_files.0.status=processing");

        result.ExitCode.Should().Be(0, result.ToString());
        var fresh = JsonNode.Parse(result.Out)!;
        var meeting = fresh["payload"]!["object"]!;
        meeting["uuid"]!.GetValue<string>().Should().NotBe(sample["payload"]!["object"]!["uuid"]!.GetValue<string>()).And.HaveLength(24);
        meeting["id"]!.GetValue<long>().Should().NotBe(sample["payload"]!["object"]!["id"]!.GetValue<long>());
        meeting["recording_files"]![1]!["meeting_id"]!.GetValue<string>().Should().Be(meeting["uuid"]!.GetValue<string>());
        meeting["recording_files"]![0]!["status"]!.GetValue<string>().Should().Be("processing");
        meeting["topic"]!.GetValue<string>().Should().Be("Ретро 🎉");
        meeting["duration"]!.GetValue<int>().Should().Be(30);
        DateTimeOffset.FromUnixTimeMilliseconds(fresh["event_ts"]!.GetValue<long>()).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        DateTimeOffset.Parse(meeting["recording_files"]![0]!["recording_end"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task New_keeps_a_string_id_a_string_when_set()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("new", "meeting.started", "--set", "payload.object.id=85512345678");

        JsonNode.Parse(result.Out)!["payload"]!["object"]!["id"]!.GetValue<string>().Should().Be("85512345678");
    }

    [Theory]
    [InlineData("new", "meeting.nonsense", "No sample for 'meeting.nonsense'. Known events: endpoint.url_validation, meeting.created")]
    [InlineData("new", "meeting.started", "--set", "payload", "--set 'payload' is not path=value.")]
    [InlineData("new", "meeting.started", "--set", "event_ts.x=1", "'x' is not a property or an index")]
    public async Task New_refuses_what_it_cannot_do_and_says_why(params string[] argsAndMessage)
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync(argsAndMessage[..^1]);

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain(argsAndMessage[^1]);
    }

    [Fact]
    public async Task Sign_prints_headers_that_verify_over_the_file_s_bytes_and_a_curl_that_sends_them_unchanged()
    {
        using var cli = new CliRunner();
        var file = Path.Combine(CliRunner.SamplesFolder, "meeting.participant_left.json");

        var result = await cli.RunAsync("sign", file);

        result.ExitCode.Should().Be(0, result.ToString());
        var headers = result.Out.Split('\n').Where(l => l.StartsWith("x-zm-", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1].Trim());
        ZoomSignature.Verify(headers[ZoomSignature.SignatureHeader], headers[ZoomSignature.TimestampHeader], await File.ReadAllBytesAsync(file),
                [ServiceFactory.DevelopmentSecret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), out _)
            .Should().Be(SignatureCheck.Valid);
        result.Out.Should().Contain("curl -sS -X POST 'http://127.0.0.1:5080/webhooks/zoom'")
            .And.Contain($"-H 'x-zm-signature: {headers[ZoomSignature.SignatureHeader]}'")
            .And.Contain($"--data-binary @'{file}'")
            .And.NotContain(ServiceFactory.DevelopmentSecret);
    }

    [Fact]
    public async Task Sign_quotes_a_path_with_a_quote_for_the_shell()
    {
        using var cli = new CliRunner();
        cli.WriteFile("it's.json", """{"event":"meeting.started"}""");

        var result = await cli.RunAsync("sign", "it's.json");

        result.Out.Should().Contain(@"--data-binary @'it'\''s.json'");
        Encoding.UTF8.GetByteCount(result.Out).Should().BePositive();
    }
}
