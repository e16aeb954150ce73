using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// The install flow: <c>GET /zoom/login</c> sends the browser to Zoom's consent page with the
/// active environment's client id, and the callback exchanges Zoom's code for tokens with the
/// same environment's credentials. https://developers.zoom.us/docs/integrations/oauth/
/// </summary>
internal static partial class LoginFlow
{
    public static Results<RedirectHttpResult, ContentHttpResult> Login(HttpContext context, [AsParameters] LoginServices services)
    {
        var zoom = services.Options.CurrentValue;
        var environment = ActiveName(zoom);
        if (Missing(zoom.Find(environment), environment) is { } missing)
        {
            return OAuthPages.NotConfigured(missing);
        }

        var credentials = zoom.Find(environment)!;
        var state = LoginState.Create(environment, services.Time.GetUtcNow());
        services.Cookie.Write(context, state, zoom.OAuth.CallbackPath, IsHttps(credentials.RedirectUri!));
        var url = QueryHelpers.AddQueryString(zoom.OAuth.AuthorizeUrl, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = credentials.ClientId,
            ["redirect_uri"] = credentials.RedirectUri,
            ["state"] = state.State,
            ["code_challenge"] = state.CodeChallenge,
            ["code_challenge_method"] = "S256",
        });
        Log.LoginStarted(services.Logger, environment);
        return TypedResults.Redirect(url);
    }

    public static async Task<ContentHttpResult> CallbackAsync(
        HttpContext context, string? code, string? state, string? error, [AsParameters] LoginServices services, CancellationToken cancellationToken)
    {
        var zoom = services.Options.CurrentValue;
        var saved = services.Cookie.Read(context);
        LoginCookie.Delete(context, zoom.OAuth.CallbackPath, IsHttps(zoom.Active?.RedirectUri));
        if (!string.IsNullOrEmpty(error))
        {
            // Zoom sends the browser back with ?error=access_denied when consent is declined.
            Log.CallbackRefused(services.Logger, "zoom_error");
            return OAuthPages.Failure(StatusCodes.Status400BadRequest, OAuthErrors.Declined(error, saved?.Environment ?? ActiveName(zoom)));
        }

        if (saved is null || !saved.Matches(state))
        {
            Log.CallbackRefused(services.Logger, saved is null ? "no_login_state" : "state_mismatch");
            return OAuthPages.Failure(StatusCodes.Status400BadRequest,
                "This sign-in cannot be verified: its state is missing or does not match this browser's login (or the login is older " +
                $"than {LoginCookie.Lifetime.TotalMinutes} minutes). Start again at {ZoomOAuthOptions.LoginPath} in this browser.");
        }

        if (string.IsNullOrEmpty(code))
        {
            Log.CallbackRefused(services.Logger, "no_code");
            return OAuthPages.Failure(StatusCodes.Status400BadRequest, $"Zoom's answer holds no authorization code. Start again at {ZoomOAuthOptions.LoginPath}.");
        }

        var credentials = zoom.Find(saved.Environment);
        if (Missing(credentials, saved.Environment) is { } missing)
        {
            return OAuthPages.NotConfigured(missing);
        }

        // The cookie was deleted above, but a copy of it (a browser that kept it, anyone who took
        // it) would pass again with a new code: the database remembers the state as used, for
        // every receiver sharing it, until the cookie could no longer be accepted anyway.
        bool firstUse;
        try
        {
            firstUse = await services.Store.TryUseLoginStateAsync(saved, services.Time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whether the state was used cannot be known, so the code is not exchanged: a fixed
            // page instead of a bare 500, nothing stored, and the user starts again.
            Log.StoreUnavailable(services.Logger, ex);
            return OAuthPages.Failure(StatusCodes.Status503ServiceUnavailable,
                $"The service could not reach its database to finish the sign-in. Try again in a moment, starting at {ZoomOAuthOptions.LoginPath}.");
        }

        if (!firstUse)
        {
            Log.CallbackRefused(services.Logger, "state_used");
            return OAuthPages.Failure(StatusCodes.Status400BadRequest,
                $"This sign-in was used already: each login is good for one authorization. Start again at {ZoomOAuthOptions.LoginPath}.");
        }

        try
        {
            var token = await services.Tokens.AuthorizeAsync(saved.Environment, credentials!, code, credentials!.RedirectUri!, saved.CodeVerifier, cancellationToken);
            return OAuthPages.Success(saved.Environment, token);
        }
        catch (ZoomOAuthException ex)
        {
            Log.ExchangeFailed(services.Logger, saved.Environment, ex.Error, ex.StatusCode);
            return OAuthPages.Failure(StatusCodes.Status502BadGateway, OAuthErrors.Explain(ex, saved.Environment));
        }
    }

    /// <summary>The keys the environment lacks for the flow, or null when it has them all.</summary>
    internal static string? Missing(ZoomEnvironmentOptions? credentials, string environment)
    {
        var missing = new[] { ("ClientId", credentials?.ClientId), ("ClientSecret", credentials?.ClientSecret), ("RedirectUri", credentials?.RedirectUri) }
            .Where(pair => string.IsNullOrWhiteSpace(pair.Item2))
            .Select(pair => $"Zoom:Environments:{environment}:{pair.Item1}")
            .ToList();
        return missing.Count == 0 ? null : string.Join(", ", missing);
    }

    private static string ActiveName(ZoomOptions zoom) =>
        string.Equals(zoom.ActiveEnvironment, ZoomOptions.Production, StringComparison.OrdinalIgnoreCase) ? ZoomOptions.Production : ZoomOptions.Development;

    private static bool IsHttps(string? url) => url?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "OAuth callback refused: the login state could not be checked in the database; answering 503")]
        public static partial void StoreUnavailable(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "OAuth login started with the {ZoomEnvironment} credentials")]
        public static partial void LoginStarted(ILogger logger, string zoomEnvironment);

        [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth callback refused: {Reason}")]
        public static partial void CallbackRefused(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "OAuth code exchange with the {ZoomEnvironment} credentials failed: {ZoomError} (HTTP {StatusCode})")]
        public static partial void ExchangeFailed(ILogger logger, string zoomEnvironment, string zoomError, int? statusCode);
    }
}

/// <summary>What the login endpoints need, bound by minimal APIs.</summary>
internal sealed record LoginServices(
    IOptionsMonitor<ZoomOptions> Options, LoginCookie Cookie, ZoomTokens Tokens, TokenStore Store, TimeProvider Time, ILogger<LoginServices> Logger);
