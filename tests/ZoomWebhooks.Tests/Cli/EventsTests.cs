using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

/// <summary><c>zoomhook events</c> against the service's admin API over a real socket.</summary>
public sealed class EventsTests
{
    private const string Key = "cli-admin-key-0123456789abcdef-0123456";

    [Fact]
    public async Task A_dead_event_is_listed_shown_and_replayed_to_done()
    {
        var handler = new RecordingHandler();
        var fail = 1;
        handler.OnGeneric = (_, _) => Volatile.Read(ref fail) == 1 ? throw new InvalidOperationException("CRM down") : Task.CompletedTask;
        using var server = CliServer.Start(
            new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["Inbox:MaxAttempts"] = "1", ["Inbox:Publish:Retries"] = "0" },
            s => RecordingHandler.AddTo(s, handler));
        using var cli = new CliRunner();
        cli.Variables["Admin__ApiKey"] = Key;
        (await cli.RunAsync("send", Path.Combine(CliRunner.SamplesFolder, "meeting.created.json"), "--url", server.BaseUrl)).ExitCode.Should().Be(0);
        var id = (await Eventually.Until(
            () => server.Inbox.ListAsync(new InboxQuery(InboxStatus.Dead, null, null, null, 5), default), l => l.Count == 1)).Single().Id;

        var list = await cli.RunAsync("events", "list", "--status", "dead", "--url", server.BaseUrl);
        var show = await cli.RunAsync("events", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--url", server.BaseUrl);
        Volatile.Write(ref fail, 0);
        var replay = await cli.RunAsync("events", "replay", "--url", server.BaseUrl);

        list.ExitCode.Should().Be(0, list.ToString());
        list.Out.Should().Contain("meeting.created").And.Contain("dead").And.Contain("InvalidOperationException: CRM down");
        show.ExitCode.Should().Be(0, show.ToString());
        show.Out.Should().Contain("\"event\": \"meeting.created\"");
        replay.Out.Should().Contain("Replayed 1 event(s).");
        await handler.WaitForGenericAsync(1);
        (await Eventually.Until(() => server.Inbox.FindAsync(id, default), e => e!.Status == InboxStatus.Done))!.Attempts.Should().Be(1);
        (list.All + show.All + replay.All).Should().NotContain(Key);
    }

    [Fact]
    public async Task A_wrong_or_missing_key_fails_with_what_to_do()
    {
        using var server = CliServer.Start(new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        using var cli = new CliRunner();

        var missing = await cli.RunAsync("events", "list", "--url", server.BaseUrl);
        var wrong = await cli.RunAsync("events", "list", "--key", "not-the-key", "--url", server.BaseUrl);

        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("No admin key");
        wrong.ExitCode.Should().Be(1);
        wrong.Error.Should().Contain("admin key was refused");
    }
}
