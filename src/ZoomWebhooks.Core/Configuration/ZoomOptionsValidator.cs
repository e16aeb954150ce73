using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Configuration;

/// <summary>
/// Refuses to start on a configuration that would verify nothing, or verify with the wrong secret.
/// Each failure names the key to fix. A missing secret never turns verification off (fail closed).
/// </summary>
internal sealed class ZoomOptionsValidator : IValidateOptions<ZoomOptions>
{
    // Words that real Secret Tokens (22 random URL-safe characters) do not contain, but
    // copy-pasted templates and local defaults do.
    private static readonly string[] PlaceholderMarkers =
    [
        "placeholder", "changeme", "change-me", "change_me", "example", "your-", "your_", "yoursecret",
        "dummy", "fake", "sample", "not-a-real", "not-for-production", "notreal", "development",
        "local-dev", "todo", "xxxx", "<", ">", "${",
    ];

    public ValidateOptionsResult Validate(string? name, ZoomOptions options)
    {
        var failures = new List<string>();
        var active = options.Find(options.ActiveEnvironment);
        if (active is null)
        {
            failures.Add($"Zoom:ActiveEnvironment is '{options.ActiveEnvironment}'; it must be Development or Production.");
        }
        else
        {
            ValidateActive(options, active, failures);
        }

        var webhooks = options.Webhooks;
        if (string.IsNullOrWhiteSpace(webhooks.Path) || !webhooks.Path.StartsWith('/'))
        {
            failures.Add($"Zoom:Webhooks:Path is '{webhooks.Path}'; it must start with '/'.");
        }

        if (webhooks.TimestampTolerance <= TimeSpan.Zero || webhooks.TimestampTolerance > TimeSpan.FromHours(1))
        {
            failures.Add("Zoom:Webhooks:TimestampTolerance must be positive and at most an hour (a replay window), for example 00:05:00.");
        }

        if (webhooks.AcceptTimeout <= TimeSpan.Zero || webhooks.AcceptTimeout >= TimeSpan.FromSeconds(3))
        {
            failures.Add("Zoom:Webhooks:AcceptTimeout must be positive and below Zoom's 3 seconds, for example 00:00:02.");
        }

        if (webhooks.MaxBodyBytes is <= 0 or > 16 * 1024 * 1024)
        {
            failures.Add("Zoom:Webhooks:MaxBodyBytes must be between 1 and 16777216 (Zoom's events are a few KiB).");
        }

        ValidateOAuth(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// OAuth is optional (a receiver of webhooks only needs none of it), so nothing here is
    /// required; what is set must be usable, and a Production redirect must be HTTPS.
    /// </summary>
    private static void ValidateOAuth(ZoomOptions options, List<string> failures)
    {
        var oauth = options.OAuth;
        foreach (var (key, url) in new[] { ("AuthorizeUrl", oauth.AuthorizeUrl), ("TokenUrl", oauth.TokenUrl), ("ApiUrl", oauth.ApiUrl) })
        {
            if (!IsHttpUrl(url))
            {
                failures.Add($"Zoom:OAuth:{key} is '{url}'; it must be an absolute http(s) URL.");
            }
        }

        if (string.IsNullOrWhiteSpace(oauth.CallbackPath) || !oauth.CallbackPath.StartsWith('/'))
        {
            failures.Add($"Zoom:OAuth:CallbackPath is '{oauth.CallbackPath}'; it must start with '/'.");
        }

        if (oauth.RefreshBefore < TimeSpan.Zero || oauth.RefreshBefore > TimeSpan.FromMinutes(30)
            || oauth.Retries is < 0 or > 10 || oauth.RetryDelay < TimeSpan.Zero)
        {
            failures.Add("Zoom:OAuth:RefreshBefore must be between 0 and 00:30:00, Zoom:OAuth:Retries between 0 and 10, Zoom:OAuth:RetryDelay not negative.");
        }

        foreach (var (name, environment) in new[] { (ZoomOptions.Development, options.Environments.Development), (ZoomOptions.Production, options.Environments.Production) })
        {
            var key = $"Zoom:Environments:{name}:RedirectUri";
            if (string.IsNullOrWhiteSpace(environment.RedirectUri))
            {
                continue;
            }

            if (!IsHttpUrl(environment.RedirectUri))
            {
                failures.Add($"{key} is '{environment.RedirectUri}'; it must be the absolute URL entered as Redirect URL for OAuth in the Zoom app.");
            }
            else if (name == ZoomOptions.Production && !environment.RedirectUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{key} is '{environment.RedirectUri}'; a production redirect must be https:// (the authorization code travels in it).");
            }
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void ValidateActive(ZoomOptions options, ZoomEnvironmentOptions active, List<string> failures)
    {
        var environment = string.Equals(options.ActiveEnvironment, ZoomOptions.Production, StringComparison.OrdinalIgnoreCase)
            ? ZoomOptions.Production
            : ZoomOptions.Development;
        var key = $"Zoom:Environments:{environment}:SecretToken";

        if (string.IsNullOrWhiteSpace(active.SecretToken))
        {
            failures.Add($"{key} is not set: the active environment ({environment}) cannot verify Zoom's signatures. " +
                         "Copy the Secret Token from the app's Features page in the Zoom Marketplace.");
            return;
        }

        if (active.SecretToken == active.ClientSecret)
        {
            failures.Add($"{key} equals Zoom:Environments:{environment}:ClientSecret: the webhook Secret Token is a different value from the OAuth client secret.");
        }

        if (environment != ZoomOptions.Production)
        {
            return;
        }

        if (LooksLikePlaceholder(active.SecretToken))
        {
            failures.Add($"{key} looks like a placeholder, not the production app's Secret Token.");
        }

        if (active.SecretToken == options.Environments.Development.SecretToken)
        {
            failures.Add($"{key} is the same as Zoom:Environments:Development:SecretToken: Production must use the production app's own token.");
        }
    }

    public static bool LooksLikePlaceholder(string token) =>
        token.Length < 16
        || token.Distinct().Count() < 6
        || PlaceholderMarkers.Any(marker => token.Contains(marker, StringComparison.OrdinalIgnoreCase));
}
