using System.Text;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using ZoomWebhooks.Logging;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Logging;

/// <summary>
/// The Development console is a terminal: text a sender chose (a request path, a participant name,
/// a topic) must not start a line of its own that looks like the service's, nor reach the terminal
/// as a control sequence (ESC [2J clears the screen).
/// </summary>
public sealed class ConsoleEscapingTests
{
    private const string Forged = "Ada\n[12:00:00 INF] Admin replayed 9999 events\u001b[2J\r\u0007\u009b";

    [Fact]
    public void Control_characters_in_property_values_and_messages_are_escaped_and_the_event_stays_one_line()
    {
        using var output = new StringWriter();
        using var logger = Development(output);

        logger.Information("Participant {ParticipantName} joined", Forged);
        logger.Information("Topic 'Demo 🚀' in a template typed by someone: " + Forged.Replace("[", "(", StringComparison.Ordinal));

        var text = output.ToString();
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2).And.OnlyContain(l => l.StartsWith('['));
        text.Should().Contain(@"Ada\n[12:00:00 INF] Admin replayed 9999 events\x1b[2J\r\x07\x9b").And.Contain("'Demo 🚀'");
        text.TrimEnd('\n').Should().NotContain("\n\n").And.Subject.Where(c => char.IsControl(c) && c != '\n').Should().BeEmpty();
    }

    [Fact]
    public void An_exception_keeps_its_stack_trace_lines_and_loses_its_control_characters()
    {
        using var output = new StringWriter();
        using var logger = Development(output);

        logger.Error(Thrown("bad \u001b[31mred\u001b[0m value"), "Dispatch of {ZoomEvent} failed", "meeting.started\n");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Contain(@"Dispatch of meeting.started\n failed");
        lines[1].Should().Contain(@"InvalidOperationException: bad \x1b[31mred\x1b[0m value");
        lines.Should().Contain(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal), "the stack trace keeps its lines");
        string.Concat(lines).Where(char.IsControl).Should().BeEmpty();
    }

    [Fact]
    public async Task The_running_service_in_Development_prints_a_hostile_path_and_topic_on_the_line_they_belong_to()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        await service.WaitForOutputAsync("Now listening on");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };
        var secret = DevelopmentSecretToken();

        await client.GetAsync(new Uri("/nowhere%0A[12:00:00%20INF]%20forged%20path%1B[2J", UriKind.Relative));
        var body = Encoding.UTF8.GetBytes(Payloads.MeetingStarted(topic: @"Sync\n[12:00:00 INF] forged topic\u001b[2J"));
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zoom") { Content = ServiceFactory.Json(body) };
        request.Headers.Add(ZoomSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(ZoomSignature.SignatureHeader, ZoomSignature.Sign(secret, ts, body));
        (await client.SendAsync(request)).IsSuccessStatusCode.Should().BeTrue();
        await service.WaitForOutputAsync("forged topic");

        var lines = service.Output.Split('\n');
        lines.Should().Contain(l => l.Contains(@"HTTP GET /nowhere\n[12:00:00 INF] forged path\x1b[2J responded 404", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains(@"'Sync\n[12:00:00 INF] forged topic\x1b[2J'", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.StartsWith("[12:00:00 INF] forged", StringComparison.Ordinal));
        service.Output.Should().NotContain("\u001b");
    }

    /// <summary>The Development console's formatter, writing to <paramref name="output"/> instead of the console.</summary>
    private static Serilog.Core.Logger Development(TextWriter output) =>
        new LoggerConfiguration().WriteTo.Sink(new Formatted(LoggingSetup.DevelopmentFormatter(), output)).CreateLogger();

    private sealed class Formatted(ITextFormatter formatter, TextWriter output) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => formatter.Format(logEvent, output);
    }

    private static Exception Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message);
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }

    /// <summary>The token appsettings.Development.json gives the service, so the test signs as the README's curl does.</summary>
    private static string DevelopmentSecretToken()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json")));
        return json.RootElement.GetProperty("Zoom").GetProperty("Environments").GetProperty("Development").GetProperty("SecretToken").GetString()!;
    }
}
