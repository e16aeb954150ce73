using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using ZoomWebhooks.Cli.Delivery;
using ZoomWebhooks.Cli.Payloads;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Validate;

/// <summary>
/// <c>zoomhook validate</c>: Zoom's URL validation, rehearsed. Zoom sends a signed
/// <c>endpoint.url_validation</c> with a random plainToken and wants, within 3 seconds, 200 and
/// <c>{"plainToken", "encryptedToken": hex HMAC-SHA256(Secret Token, plainToken)}</c>.
/// https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
/// An endpoint that also answers unsigned challenges is a signing oracle, so that must fail too.
/// </summary>
public static class ValidateCommand
{
    public static readonly TimeSpan ZoomDeadline = TimeSpan.FromSeconds(3);
    private const string UrlValidationEvent = "endpoint.url_validation";

    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var command = new Command("validate", "Rehearse Zoom's URL validation against the receiver and say whether Zoom would accept it.");
        command.SetAction((parse, cancellationToken) => RunAsync(environment, global.Load(parse, environment), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, CliSettings settings, CancellationToken cancellationToken)
    {
        if (settings.SigningSecret(environment.Error) is not { } secret)
        {
            return 1;
        }

        var console = CliConsole.Create(environment);
        using var client = new WebhookClient(settings.WebhookUrl, environment.Time);
        console.WriteLine($"Rehearsing Zoom's URL validation against {client.Url} ({settings.Zoom.ActiveEnvironment} Secret Token {Mask.Secret(secret)})");
        var checks = new ValidationChecks(console);

        var (body, plainToken) = Challenge(environment.Time.GetUtcNow());
        var signed = await client.PostAsync(body, secret, cancellationToken);
        if (signed.StatusCode is null)
        {
            await environment.Error.WriteLineAsync(client.Unreachable(signed));
            return 1;
        }

        checks.Check(signed.StatusCode == 200, $"signed challenge answered {signed.Status} {signed.Reply}", WhyNot(signed.StatusCode));
        checks.Check(signed.Elapsed < ZoomDeadline, $"answered in {signed.Milliseconds} ms (Zoom allows {ZoomDeadline.TotalMilliseconds:0} ms)", $"Zoom gives up after {ZoomDeadline.TotalMilliseconds:0} ms");
        if (signed.StatusCode == 200)
        {
            checks.Check(signed.Property("plainToken") == plainToken, "plainToken echoed", "the answer must carry the same plainToken");
            checks.Check(
                signed.Property("encryptedToken") == ZoomSignature.EncryptToken(secret, plainToken),
                "encryptedToken = HMAC-SHA256(Secret Token, plainToken)",
                "the receiver answers with another Secret Token than this one: check --env and `zoomhook doctor`");
        }

        var (unsignedBody, _) = Challenge(environment.Time.GetUtcNow());
        var unsigned = await client.PostAsync(unsignedBody, secretToken: null, cancellationToken);
        checks.Check(Refused(unsigned), $"unsigned challenge refused ({unsigned.Status} {unsigned.Reply})",
            "an endpoint that answers unsigned challenges lets anyone obtain HMACs of text they choose");

        var (forgedBody, _) = Challenge(environment.Time.GetUtcNow());
        var forged = await client.PostAsync(forgedBody, FreshPayload.RandomToken(), cancellationToken);
        checks.Check(Refused(forged), $"challenge signed with another token refused ({forged.Status} {forged.Reply})",
            "the receiver must check the signature before answering");

        console.WriteLine();
        console.MarkupLine(checks.Failures == 0
            ? "[green]Zoom would accept this endpoint.[/]"
            : $"[red]Zoom would NOT accept this endpoint ({checks.Failures} check(s) failed).[/]");
        return checks.Failures == 0 ? 0 : 1;
    }

    private static string WhyNot(int? status) => status switch
    {
        401 => "Zoom needs HTTP 200; the receiver refused the signature: it verifies with another Secret Token (check --env, --secret, `zoomhook doctor`) or its clock is off",
        404 or 405 => "Zoom needs HTTP 200; nothing answers POST here: check the path (Zoom:Webhooks:Path) or --url",
        >= 500 => "Zoom needs HTTP 200; the receiver failed: see its log",
        _ => "Zoom needs HTTP 200",
    };

    private static bool Refused(DeliveryResult result) =>
        result.StatusCode is >= 400 and < 500 && result.Property("encryptedToken") is null;

    private static (byte[] Body, string PlainToken) Challenge(DateTimeOffset now)
    {
        var payload = FreshPayload.Refresh(JsonNode.Parse(Samples.Find(UrlValidationEvent)!)!, now);
        return (FreshPayload.Serialize(payload), payload["payload"]!["plainToken"]!.GetValue<string>());
    }
}
