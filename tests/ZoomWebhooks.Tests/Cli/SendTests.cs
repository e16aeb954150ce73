namespace ZoomWebhooks.Tests.Cli;

public sealed class SendTests
{
    private static readonly string[] StoredEvents =
    [
        "meeting.created", "meeting.ended", "meeting.participant_joined", "meeting.participant_left", "meeting.started", "recording.completed",
        "webinar.ended", "webinar.participant_joined", "webinar.participant_left", "webinar.started",
        "recording.transcript_completed",
    ];

    [Fact]
    public async Task Sending_the_samples_folder_is_all_accepted_and_stored_byte_for_byte()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();

        var result = await cli.RunAsync("send", CliRunner.SamplesFolder, "--url", server.BaseUrl);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().MatchRegex(@"endpoint\.url_validation\s+200 validated");
        foreach (var name in StoredEvents)
        {
            result.Out.Should().MatchRegex($@"{name.Replace(".", @"\.", StringComparison.Ordinal)}\s+200 accepted\s+\d+ ms", result.ToString());
        }

        result.Out.Should().Contain("12 sent, all answered 2xx.").And.MatchRegex(@"│ all\s+│\s+12 │\s+11 │\s+0 │\s+0 │");
        var stored = new List<string>();
        for (var id = 1; id <= StoredEvents.Length; id++)
        {
            var entry = await server.Inbox.FindAsync(id, CancellationToken.None);
            entry!.Body.Should().Equal(await File.ReadAllBytesAsync(Path.Combine(CliRunner.SamplesFolder, entry.EventName + ".json")));
            stored.Add(entry.EventName);
        }

        stored.Should().BeEquivalentTo(StoredEvents);
    }

    [Fact]
    public async Task A_replay_is_a_duplicate_unless_the_ids_are_refreshed()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();
        var file = Path.Combine(CliRunner.SamplesFolder, "meeting.participant_joined.json");

        (await cli.RunAsync("send", file, "--url", server.BaseUrl)).Out.Should().Contain("200 accepted");
        var replay = await cli.RunAsync("send", file, "--url", server.BaseUrl);
        var refreshed = await cli.RunAsync("send", file, "--refresh-ids", "--repeat", "4", "--concurrency", "2", "--url", server.BaseUrl);

        replay.ExitCode.Should().Be(0);
        replay.Out.Should().Contain("200 duplicate");
        refreshed.ExitCode.Should().Be(0, refreshed.ToString());
        refreshed.Out.Should().MatchRegex(@"│ all\s+│\s+4 │\s+4 │\s+0 │\s+0 │", refreshed.ToString());
    }

    [Fact]
    public async Task A_payload_from_standard_input_is_sent()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();
        cli.StandardInput = (await cli.RunAsync("new", "meeting.ended")).Out;

        var result = await cli.RunAsync("send", "-", "--url", server.BaseUrl);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().MatchRegex(@"meeting\.ended\s+200 accepted.*\(stdin\)");
    }

    [Fact]
    public async Task A_wrong_Secret_Token_is_refused_and_fails_the_run_without_printing_it()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();
        const string wrong = "wrong-secret-token-0123456789";

        var result = await cli.RunAsync("send", Path.Combine(CliRunner.SamplesFolder, "meeting.started.json"), "--secret", wrong, "--url", server.BaseUrl);

        result.ExitCode.Should().Be(1);
        result.Out.Should().MatchRegex(@"meeting\.started\s+401 invalid_signature");
        result.All.Should().NotContain(wrong).And.Contain("wron****");
    }

    [Fact]
    public async Task An_unreachable_receiver_is_named_with_what_to_do()
    {
        using var cli = new CliRunner();

        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var result = await cli.RunAsync("send", Path.Combine(CliRunner.SamplesFolder, "meeting.started.json"), "--url", "http://127.0.0.1:1");

        result.ExitCode.Should().Be(1);
        result.Out.Should().Contain("---").And.Contain("unreachable");
        result.Error.Should().Contain("Could not reach http://127.0.0.1:1/webhooks/zoom").And.Contain("dotnet run --project src/ZoomWebhooks");
    }

    [Fact]
    public async Task A_missing_file_fails_before_anything_is_sent()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("send", "no-such-file.json", "--url", "http://127.0.0.1:1");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("No file or folder 'no-such-file.json'");
    }

    [Theory]
    [InlineData("send", "x.json")]
    [InlineData("sign", "x.json")]
    [InlineData("validate")]
    public async Task Without_a_Secret_Token_nothing_is_signed_and_doctor_is_suggested(params string[] args)
    {
        using var cli = new CliRunner("""{"Zoom":{}}""");

        var result = await cli.RunAsync([.. args, "--url", "http://127.0.0.1:1"]);

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("No Secret Token for the Development environment: run `zoomhook doctor`, or pass --secret.");
    }
}
