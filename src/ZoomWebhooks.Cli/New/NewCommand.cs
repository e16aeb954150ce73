using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using ZoomWebhooks.Cli.Payloads;

namespace ZoomWebhooks.Cli.New;

/// <summary><c>zoomhook new</c>: a fresh payload for an event, from the project's samples, to pipe into <c>send -</c> or a file.</summary>
public static class NewCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var eventName = new Argument<string>("event")
        {
            Description = $"The event, one of: {string.Join(", ", Samples.Events)}.",
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Change a field: path=value, e.g. --set payload.object.topic=\"Weekly sync\" (repeatable).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("new", "Print a fresh, realistic payload for an event: unique ids, current times.") { eventName, set };
        command.SetAction(parse => Run(environment, parse.GetValue(eventName)!, parse.GetValue(set) ?? []));
        return command;
    }

    private static int Run(CliEnvironment environment, string eventName, string[] assignments)
    {
        var sample = Samples.Find(eventName);
        if (sample is null)
        {
            environment.Error.WriteLine($"No sample for '{eventName}'. Known events: {string.Join(", ", Samples.Events)}.");
            return 1;
        }

        var payload = FreshPayload.Refresh(JsonNode.Parse(sample)!, environment.Time.GetUtcNow());
        try
        {
            foreach (var assignment in assignments)
            {
                JsonPathSetter.Apply(payload, assignment);
            }
        }
        catch (FormatException ex)
        {
            environment.Error.WriteLine(ex.Message);
            return 1;
        }

        environment.Out.WriteLine(Encoding.UTF8.GetString(FreshPayload.Serialize(payload)));
        return 0;
    }
}
