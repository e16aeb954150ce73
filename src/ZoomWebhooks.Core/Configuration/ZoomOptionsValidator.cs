using Microsoft.Extensions.Options;

namespace ZoomWebhooks;

/// <summary>
/// Refuses to start on a configuration that would verify nothing, or verify with the wrong secret.
/// Each failure names the key to fix. A missing secret never turns verification off (fail closed).
/// </summary>
/// <param name="productionHost">
/// The host runs in Production (<c>ASPNETCORE_ENVIRONMENT</c>): template tokens are refused there
/// whichever credential environment is active.
/// </param>
public sealed class ZoomOptionsValidator(bool productionHost = false) : IValidateOptions<ZoomOptions>
{
    // Zoom's Secret Tokens are 22 characters.
    private const int MinimumTokenLength = 16;

    // Words that real Secret Tokens (22 random URL-safe characters) do not contain, but
    // copy-pasted templates and local defaults do.
    private static readonly string[] PlaceholderMarkers =
    [
        "placeholder", "changeme", "change-me", "change_me", "example", "your-", "your_", "yoursecret",
        "dummy", "fake", "sample", "not-a-real", "not-for-production", "notreal", "development",
        "local-dev", "todo", "xxxx", "<", ">", "${", "demo-", "readme",
    ];

    /// <summary>Every failure of <paramref name="options"/>, each naming the key to fix and never a secret.</summary>
    /// <param name="name">The options instance's name (unused: there is one <c>Zoom</c> section).</param>
    /// <param name="options">The bound <c>Zoom</c> section.</param>
    /// <returns>Success, or the failures.</returns>
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
        ValidateWebSocket(options, failures);
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

    /// <summary>
    /// Only when <c>Zoom:WebSocket:Enabled</c>: the subscription, and the active environment's
    /// Server-to-Server credentials its token is made from. The token travels in the URL's query,
    /// so plain <c>ws://</c> is accepted only to a loopback peer (a local fake of Zoom).
    /// </summary>
    private static void ValidateWebSocket(ZoomOptions options, List<string> failures)
    {
        var socket = options.WebSocket;
        if (!socket.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(socket.SubscriptionId))
        {
            failures.Add("Zoom:WebSocket:SubscriptionId is not set: Zoom:WebSocket:Enabled is true, so the id of the app's WebSocket " +
                         "event subscription is needed (Features > Event Subscriptions in the Zoom Marketplace).");
        }

        if (!Uri.TryCreate(socket.Url, UriKind.Absolute, out var url)
            || !(url.Scheme == "wss" || (url.Scheme == "ws" && url.IsLoopback)) || !string.IsNullOrEmpty(url.Query))
        {
            failures.Add($"Zoom:WebSocket:Url is '{socket.Url}'; it must be an absolute wss:// URL without a query (ws:// only to a loopback address), " +
                         $"by default {ZoomWebSocketOptions.DefaultUrl}.");
        }

        if (socket.HeartbeatInterval <= TimeSpan.Zero || socket.HeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Zoom:WebSocket:HeartbeatInterval must be positive and at most 00:01:00 (Zoom closes silent connections; it asks for 00:00:30).");
        }

        if (socket.UnreadyAfter <= TimeSpan.Zero || socket.LeaseInterval <= TimeSpan.Zero
            || socket.ReconnectDelay <= TimeSpan.Zero || socket.MaxReconnectDelay < socket.ReconnectDelay)
        {
            failures.Add("Zoom:WebSocket:UnreadyAfter, LeaseInterval and ReconnectDelay must be positive, and Zoom:WebSocket:MaxReconnectDelay at least ReconnectDelay.");
        }

        if (options.Find(options.ActiveEnvironment) is not { } active)
        {
            return;
        }

        var environment = string.Equals(options.ActiveEnvironment, ZoomOptions.Production, StringComparison.OrdinalIgnoreCase)
            ? ZoomOptions.Production
            : ZoomOptions.Development;
        foreach (var (key, value) in new[] { ("AccountId", active.AccountId), ("ClientId", active.ClientId), ("ClientSecret", active.ClientSecret) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"Zoom:Environments:{environment}:{key} is not set: Zoom:WebSocket:Enabled is true, and the WebSocket's access token " +
                             $"comes from the {environment} Server-to-Server OAuth app's Account ID, Client ID and Client Secret (App Credentials page).");
            }
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>
    /// Every token that verifies a delivery, the current one and each previous one, passes the same
    /// checks: a previous token is as good a key for a forger as the current one.
    /// </summary>
    private void ValidateActive(ZoomOptions options, ZoomEnvironmentOptions active, List<string> failures)
    {
        var production = string.Equals(options.ActiveEnvironment, ZoomOptions.Production, StringComparison.OrdinalIgnoreCase);
        var environment = production ? ZoomOptions.Production : ZoomOptions.Development;
        var (otherName, other) = options.Inactive;
        var key = $"Zoom:Environments:{environment}:SecretToken";

        if (string.IsNullOrWhiteSpace(active.SecretToken))
        {
            failures.Add($"{key} is not set: the active environment ({environment}) cannot verify Zoom's signatures. " +
                         "Copy the Secret Token from the app's Features page in the Zoom Marketplace.");
            return;
        }

        foreach (var (tokenKey, token) in Accepted(environment, active))
        {
            if (token == active.ClientSecret)
            {
                failures.Add($"{tokenKey} equals Zoom:Environments:{environment}:ClientSecret: the webhook Secret Token is a different value from the OAuth client secret.");
            }

            if (token == other.ClientSecret)
            {
                failures.Add($"{tokenKey} equals Zoom:Environments:{otherName}:ClientSecret: that is an OAuth client secret, not a webhook Secret Token. " +
                             $"Copy the Secret Token from the {environment} app's Features page.");
            }

            // A Development token may be a public template on a developer's machine; nowhere else.
            if (!production && !productionHost)
            {
                continue;
            }

            if (PlaceholderReason(token) is { } reason)
            {
                failures.Add(production
                    ? $"{tokenKey} looks like a placeholder ({reason}), not the production app's Secret Token."
                    : $"{tokenKey} looks like a placeholder ({reason}), and the host runs in Production (ASPNETCORE_ENVIRONMENT): use the app's real Secret Token.");
            }

            foreach (var (otherKey, otherToken) in Accepted(otherName, other))
            {
                if (token == otherToken)
                {
                    failures.Add($"{tokenKey} is the same as {otherKey}: {environment} must use the {environment.ToLowerInvariant()} app's own token.");
                }
            }
        }
    }

    /// <summary>The tokens that verify deliveries of one environment, each with the key it is set by.</summary>
    private static IEnumerable<(string Key, string Token)> Accepted(string environment, ZoomEnvironmentOptions credentials)
    {
        if (!string.IsNullOrWhiteSpace(credentials.SecretToken))
        {
            yield return ($"Zoom:Environments:{environment}:SecretToken", credentials.SecretToken);
        }

        // Same rule as AcceptedSecretTokens: an empty slot (compose passes one) is no token.
        for (var index = 0; index < credentials.PreviousSecretTokens.Count; index++)
        {
            if (!string.IsNullOrWhiteSpace(credentials.PreviousSecretTokens[index]))
            {
                yield return ($"Zoom:Environments:{environment}:PreviousSecretTokens:{index}", credentials.PreviousSecretTokens[index]);
            }
        }
    }

    internal static bool LooksLikePlaceholder(string token) => PlaceholderReason(token) is not null;

    /// <summary>Why a token looks like a template, in words that never repeat any of it.</summary>
    private static string? PlaceholderReason(string token) =>
        token.Length < MinimumTokenLength ? $"fewer than {MinimumTokenLength} characters"
        : token.Distinct().Count() < 6 ? "fewer than 6 different characters"
        : PlaceholderMarkers.Any(marker => token.Contains(marker, StringComparison.OrdinalIgnoreCase)) ? "a template word such as changeme, example or local-dev"
        : null;
}
