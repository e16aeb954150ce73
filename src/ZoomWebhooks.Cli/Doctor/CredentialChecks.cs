using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Doctor;

/// <summary>Credentials in the wrong place: the OAuth secret as the webhook token, one app's values in both environments, templates in Production.</summary>
internal static class CredentialChecks
{
    private const string Prefix = "Zoom:Environments";

    /// <summary>The inactive environment's token equal to its client secret (the validator checks every accepted token against both).</summary>
    public static IEnumerable<Finding> Confusions(ZoomEnvironmentOptions other, string otherName)
    {
        if (Same(other.SecretToken, other.ClientSecret))
        {
            yield return Finding.Error(
                $"{Prefix}:{otherName}:SecretToken equals {Prefix}:{otherName}:ClientSecret: the webhook Secret Token is a different value.",
                $"Copy the Secret Token from the {otherName} app's Features page.");
        }
    }

    /// <summary>One credential in both environments: testing against live users, or live traffic on test credentials.</summary>
    public static IEnumerable<Finding> Shared(ZoomOptions zoom, bool validatorChecksTokens)
    {
        var (development, production) = (zoom.Environments.Development, zoom.Environments.Production);
        foreach (var (name, dev, prod) in new[]
                 {
                     ("ClientId", development.ClientId, production.ClientId),
                     ("ClientSecret", development.ClientSecret, production.ClientSecret),
                     ("SecretToken", development.SecretToken, production.SecretToken),
                 })
        {
            // With Production active, or on a Production host, the validator already refuses a shared SecretToken.
            if (Same(dev, prod) && !(validatorChecksTokens && name == "SecretToken"))
            {
                yield return Finding.Error(
                    $"{Prefix}:Development:{name} and {Prefix}:Production:{name} are the same value ({Mask.Secret(dev)}).",
                    "Zoom gives every app separate development and production credentials: take each from its own tab of the app's page.");
            }
        }
    }

    /// <summary>Production is active: no template values, and a client id so deliveries from the wrong app are told apart.</summary>
    public static IEnumerable<Finding> ProductionValues(ZoomEnvironmentOptions production)
    {
        foreach (var (name, value) in new[] { ("ClientId", production.ClientId), ("ClientSecret", production.ClientSecret) })
        {
            if (!string.IsNullOrWhiteSpace(value) && ZoomOptionsValidator.LooksLikePlaceholder(value))
            {
                yield return Finding.Error(
                    $"{Prefix}:Production:{name} looks like a placeholder or development value ({Mask.Secret(value)}).",
                    "Use the production credentials from the app's Production tab, through an environment variable or a secret store.");
            }
        }

        if (string.IsNullOrWhiteSpace(production.ClientId))
        {
            yield return Finding.Warn(
                $"{Prefix}:Production:ClientId is not set.",
                "Set it, so the service can refuse deliveries from another app (the clientid header) and say which app sent them.");
        }
    }

    private static bool Same(string? a, string? b) => !string.IsNullOrWhiteSpace(a) && a == b;
}
