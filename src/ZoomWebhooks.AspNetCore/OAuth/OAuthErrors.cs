using ZoomWebhooks.Configuration;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// Zoom's token errors as a person setting up the app needs them. The commonest mistake, Zoom's
/// two credential sets crossed (a code from the other environment's app, or that app's client id
/// and secret), gets its own words. https://developers.zoom.us/docs/integrations/oauth/
/// </summary>
internal static class OAuthErrors
{
    public static string Explain(ZoomOAuthException exception, string environment)
    {
        var other = environment == ZoomOptions.Production ? ZoomOptions.Development : ZoomOptions.Production;
        var credentials = $"Zoom:Environments:{environment}:ClientId / ClientSecret";
        var zoomSaid = string.IsNullOrEmpty(exception.Reason) ? "" : $" Zoom said: \"{exception.Reason}\".";
        return exception.Error switch
        {
            "invalid_client" =>
                $"Zoom refused the {environment} client credentials (invalid_client).{zoomSaid} Most often these are the other " +
                $"environment's: Zoom:ActiveEnvironment is {environment}, so {credentials} must be the app's {environment} " +
                $"credentials ({Where(environment)}), not the {other} ones. Check both values, then start again at {ZoomOAuthOptions.LoginPath}.",
            "invalid_grant" =>
                $"Zoom refused the authorization code (invalid_grant).{zoomSaid} It was used already, expired (codes last minutes), " +
                $"or was issued to the {other} environment's app: the consent page must be the {environment} app's, which " +
                $"{ZoomOAuthOptions.LoginPath} opens. Start again there.",
            "invalid_request" =>
                $"Zoom refused the request (invalid_request).{zoomSaid} Check that Zoom:Environments:{environment}:RedirectUri is " +
                $"exactly the Redirect URL for OAuth of the {environment} app, then start again at {ZoomOAuthOptions.LoginPath}.",
            ZoomOAuthException.Unavailable =>
                $"Zoom's authorization server did not answer usefully{(exception.StatusCode is { } code ? $" (HTTP {code})" : "")}, " +
                $"even after retries. Try again in a minute at {ZoomOAuthOptions.LoginPath}.",
            _ => $"Zoom refused the authorization ({exception.Error}).{zoomSaid} Start again at {ZoomOAuthOptions.LoginPath}.",
        };
    }

    /// <summary>
    /// The page for Zoom's redirect back with <c>?error=</c>. Anyone can send a browser to that URL
    /// with any text, before any state is checked, so nothing of it is shown: a known OAuth code
    /// (RFC 6749 section 4.1.2.1) picks one of our sentences, anything else gets the generic one,
    /// and <c>error_description</c> is never read.
    /// </summary>
    public static string Declined(string? error, string environment) => error switch
    {
        "access_denied" =>
            $"Zoom did not authorize the app: consent was declined (access_denied). Start again at {ZoomOAuthOptions.LoginPath} and choose Allow.",
        "invalid_request" or "unauthorized_client" or "unsupported_response_type" or "invalid_scope" =>
            $"Zoom did not authorize the app: it refused the authorization request ({error}). Check that " +
            $"Zoom:Environments:{environment}:ClientId and RedirectUri are the {environment} app's and that the app's scopes are " +
            $"saved in the Zoom Marketplace, then start again at {ZoomOAuthOptions.LoginPath}.",
        "server_error" or "temporarily_unavailable" =>
            $"Zoom did not authorize the app: Zoom could not complete the request just now ({error}). Try again in a minute at {ZoomOAuthOptions.LoginPath}.",
        _ => $"Zoom did not authorize the app. Start again at {ZoomOAuthOptions.LoginPath}.",
    };

    /// <summary>Zoom's own terms for the two credential sets (App Credentials page of the app).</summary>
    public static string Where(string environment) => environment == ZoomOptions.Production
        ? "Production credentials, for the published app and its live users"
        : "Development credentials, for testing before the app is published";
}
