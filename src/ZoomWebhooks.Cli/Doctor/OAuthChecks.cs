
namespace ZoomWebhooks.Cli.Doctor;

/// <summary>
/// The app authorization settings: a redirect URI for each environment in use, pointing at the
/// service's callback path (Zoom compares the whole URL), HTTPS in Production. The service's
/// validator already refuses malformed URLs and an http Production redirect, so those are not repeated.
/// https://developers.zoom.us/docs/integrations/oauth/
/// </summary>
internal static class OAuthChecks
{
    public static IEnumerable<Finding> Run(ZoomOptions zoom)
    {
        var environments = new[] { (Name: ZoomOptions.Development, Settings: zoom.Environments.Development), (Name: ZoomOptions.Production, Settings: zoom.Environments.Production) };
        if (!environments.Any(e => Set(e.Settings.ClientSecret) || Set(e.Settings.RedirectUri)))
        {
            yield return Finding.Ok("OAuth is not configured (no ClientSecret or RedirectUri): /zoom/login stays off.");
            yield break;
        }

        foreach (var (name, settings) in environments)
        {
            var key = $"Zoom:Environments:{name}:RedirectUri";
            if (!Set(settings.RedirectUri))
            {
                yield return Finding.Warn($"{key} is not set: the {name} credentials cannot complete the install flow (/zoom/login answers 503 with them).",
                    $"Set it to the Redirect URL for OAuth entered on the {name} credentials of the Zoom app, ending in {zoom.OAuth.CallbackPath}.");
                continue;
            }

            if (!Uri.TryCreate(settings.RedirectUri, UriKind.Absolute, out var uri) || (name == ZoomOptions.Production && uri.Scheme != Uri.UriSchemeHttps))
            {
                continue;
            }

            if (uri.AbsolutePath != zoom.OAuth.CallbackPath)
            {
                yield return Finding.Error($"{key} is '{settings.RedirectUri}' but the service takes Zoom's answer at {zoom.OAuth.CallbackPath}.",
                    $"Make the redirect URL end in {zoom.OAuth.CallbackPath} (here and in the Zoom app), or set Zoom:OAuth:CallbackPath to its path.");
            }
            else if (name == ZoomOptions.Production && uri.IsLoopback)
            {
                yield return Finding.Warn($"{key} is '{settings.RedirectUri}': live users' browsers cannot come back to a loopback address.",
                    "Use the service's public https:// address.");
            }
            else
            {
                yield return Finding.Ok($"{key} is {settings.RedirectUri}.");
            }

            if (!Set(settings.ClientId) || !Set(settings.ClientSecret))
            {
                yield return Finding.Warn($"Zoom:Environments:{name} has a RedirectUri but not both ClientId and ClientSecret.",
                    $"Copy both from the app's {name} credentials (App Credentials page of the app in the Zoom Marketplace).");
            }
        }
    }

    private static bool Set(string? value) => !string.IsNullOrWhiteSpace(value);
}
