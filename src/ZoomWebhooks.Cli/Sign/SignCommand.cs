using System.CommandLine;
using ZoomWebhooks.Cli.Delivery;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Sign;

/// <summary>
/// <c>zoomhook sign</c>: the headers Zoom would send with this exact file, and a curl command that
/// posts its bytes unchanged (<c>--data-binary @file</c>: <c>-d</c> would strip the newlines and
/// break the signature).
/// </summary>
public static class SignCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var file = new Argument<string>("file") { Description = "The payload file to sign, byte for byte." };
        var command = new Command("sign", "Print Zoom's signature headers for a file and a ready-to-run curl command.") { file };
        command.SetAction(parse => Run(environment, global.Load(parse, environment), parse.GetValue(file)!));
        return command;
    }

    private static int Run(CliEnvironment environment, CliSettings settings, string file)
    {
        if (settings.SigningSecret(environment.Error) is not { } secret)
        {
            return 1;
        }

        var path = Path.GetFullPath(file, environment.WorkingDirectory);
        if (!File.Exists(path))
        {
            environment.Error.WriteLine($"No file '{file}'.");
            return 1;
        }

        var headers = SignedHeaders.For(secret, environment.Time.GetUtcNow(), File.ReadAllBytes(path), SignedHeaders.NewRequestId());
        var output = environment.Out;
        output.WriteLine($"# signed with the {settings.Zoom.ActiveEnvironment} Secret Token {Mask.Secret(secret)}; valid for the receiver's timestamp tolerance ({settings.Zoom.Webhooks.TimestampTolerance})");
        output.WriteLine($"content-type: {SignedHeaders.ContentType}");
        foreach (var (name, value) in headers)
        {
            output.WriteLine($"{name}: {value}");
        }

        output.WriteLine();
        output.WriteLine($"curl -sS -X POST {Quote(settings.WebhookUrl.ToString())} \\");
        output.WriteLine($"  -H {Quote("content-type: " + SignedHeaders.ContentType)} \\");
        foreach (var (name, value) in headers)
        {
            output.WriteLine($"  -H {Quote($"{name}: {value}")} \\");
        }

        output.WriteLine($"  --data-binary @{Quote(file)}");
        return 0;
    }

    // Single quotes keep the shell from touching anything inside; a quote inside is closed, escaped and reopened.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
