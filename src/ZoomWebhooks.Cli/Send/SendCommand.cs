using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;
using ZoomWebhooks.Cli.Delivery;
using ZoomWebhooks.Cli.Payloads;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Send;

/// <summary><c>zoomhook send</c>: sign each payload with a fresh timestamp and post it, one line per delivery.</summary>
public static class SendCommand
{
    private const int MaxConcurrency = 64;

    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Payload files, folders (every *.json in them) or '-' for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var refreshIds = new Option<bool>("--refresh-ids")
        {
            Description = "Give each send a fresh meeting UUID, ids and current times, so replays are not answered 'duplicate'.",
        };
        var repeat = new Option<int>("--repeat") { Description = "Send every payload N times.", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = $"Deliveries in flight at once (1-{MaxConcurrency}).", DefaultValueFactory = _ => 1 };
        repeat.Validators.Add(r => RequireRange(r, 1, 100_000));
        concurrency.Validators.Add(r => RequireRange(r, 1, MaxConcurrency));

        var command = new Command("send", "Sign payloads exactly as Zoom does and post them to the receiver.")
        {
            paths, refreshIds, repeat, concurrency,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = global.Load(parse, environment);
            var options = new SendOptions(parse.GetValue(refreshIds), parse.GetValue(repeat), parse.GetValue(concurrency));
            return RunAsync(environment, settings, parse.GetValue(paths)!, options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, CliSettings settings, string[] paths, SendOptions options, CancellationToken cancellationToken)
    {
        if (settings.SigningSecret(environment.Error) is not { } secret)
        {
            return 1;
        }

        IReadOnlyList<PayloadFile> files;
        bool anyFolder;
        try
        {
            files = PayloadFiles.Read(paths, environment, out anyFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await environment.Error.WriteLineAsync(ex.Message);
            return 1;
        }

        if (files.Count == 0)
        {
            await environment.Error.WriteLineAsync("Nothing to send: no *.json in the given folders.");
            return 1;
        }

        var console = CliConsole.Create(environment);
        using var client = new WebhookClient(settings.WebhookUrl, environment.Time);
        console.WriteLine($"Sending to {client.Url} with the {settings.Zoom.ActiveEnvironment} Secret Token {Mask.Secret(secret)}");
        var jobs = Enumerable.Range(0, options.Repeat).SelectMany(_ => files).ToList();
        var sender = new Sender(console, client, secret, options, environment.Time);
        var results = anyFolder && console.Profile.Capabilities.Interactive
            ? await console.Progress().AutoClear(true).StartAsync(ctx => sender.SendAllAsync(jobs, ctx.AddTask("Sending", maxValue: jobs.Count), cancellationToken))
            : await sender.SendAllAsync(jobs, progress: null, cancellationToken);

        if (anyFolder || jobs.Count > 1)
        {
            SendSummary.Write(console, results);
        }

        if (results.All(r => r.Result.StatusCode is null))
        {
            await environment.Error.WriteLineAsync(client.Unreachable(results[0].Result));
        }

        return results.All(r => r.Result.IsSuccess) ? 0 : 1;
    }

    private static void RequireRange(OptionResult result, int min, int max)
    {
        var value = result.GetValueOrDefault<int>();
        if (value < min || value > max)
        {
            result.AddError($"{result.IdentifierToken?.Value} must be between {min} and {max}.");
        }
    }
}

public sealed record SendOptions(bool RefreshIds, int Repeat, int Concurrency);
