using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Events;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// App authorization (issue 9): the login endpoints, the token store and accessor, Data
/// Protection for the tokens and the login cookie, and the HTTP client that talks to Zoom.
/// Turned on with AddZoomOAuth(); without credentials and a redirect URI the endpoints answer 503 and say
/// which keys to set, so a receiver of webhooks only needs none of it.
/// </summary>
internal static class OAuthEndpoints
{
    public const string KeysPathKey = "DataProtection:KeysPath";

    /// <summary>The key of the feature's <see cref="IDataProtectionProvider"/> among the app's services.</summary>
    public const string ProtectionKey = "ZoomWebhooks.OAuth";

    public static void AddZoomOAuth(IServiceCollection services)
    {
        // A Data Protection of its own, keyed: the app's (its cookies, antiforgery, Identity) keeps
        // its own application name and key store. One application name and one key ring here, so
        // instances sharing the ring read each other's tokens and cookies.
        services.AddKeyedSingleton(ProtectionKey, (provider, _) =>
        {
            // Data Protection writes its key files 0600 but would create the folder with the umask's 0755.
            var keys = KeysPath(provider.GetRequiredService<IConfiguration>());
            OwnerOnly.CreateDirectory(keys);
            return DataProtectionProvider.Create(new DirectoryInfo(keys), protection => protection.SetApplicationName("ZoomWebhooks"));
        });

        AddZoomOAuthClient(services);

        // On the process's one InboxDatabase (see InboxSetup): no pool or writer of its own.
        services.AddSingleton<TokenStore>();
        services.AddSingleton<ZoomTokens>();
        services.AddSingleton<IZoomTokens>(sp => sp.GetRequiredService<ZoomTokens>());
        services.AddSingleton<LoginCookie>();
        services.AddHandler<ForgetDeauthorizedUser>();
    }

    /// <summary>
    /// The HTTP client for Zoom's token endpoint and API, once per app: the login flow and the
    /// WebSocket subscription (Server-to-Server tokens) both use it.
    /// </summary>
    public static void AddZoomOAuthClient(IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(ZoomOAuthClientMarker)))
        {
            return;
        }

        services.AddSingleton<ZoomOAuthClientMarker>();
        services.AddHttpClient<ZoomOAuthClient>(client => client.Timeout = TimeSpan.FromSeconds(30))
            .AddResilienceHandler("zoom-oauth", (pipeline, context) =>
            {
                var oauth = context.ServiceProvider.GetRequiredService<IOptions<ZoomOptions>>().Value.OAuth;
                if (oauth.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = oauth.Retries,
                        Delay = oauth.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                    });
                }
            });
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var callbackPath = app.ServiceProvider.GetRequiredService<IOptions<ZoomOptions>>().Value.OAuth.CallbackPath;
        // Anonymous whatever the app's policy: the state cookie and Zoom's code are the credentials.
        app.MapGet(ZoomOAuthOptions.LoginPath, LoginFlow.Login).AddEndpointFilter(OAuthPages.SecurityHeaders).AllowAnonymous();
        app.MapGet(callbackPath, LoginFlow.CallbackAsync).AddEndpointFilter(OAuthPages.SecurityHeaders).AllowAnonymous();
    }

    /// <summary>
    /// Where the Data Protection key ring lives: <c>DataProtection:KeysPath</c>, else a <c>keys</c>
    /// folder beside the SQLite file, else <c>data/keys</c>. Without it, tokens stored by one
    /// instance (or before a restart in a fresh container) could not be decrypted.
    /// </summary>
    public static string KeysPath(IConfiguration configuration)
    {
        if (configuration[KeysPathKey] is { Length: > 0 } configured)
        {
            return configured;
        }

        var connectionString = InboxSetup.ConnectionString(configuration);
        if (!string.Equals(configuration["Inbox:Provider"], nameof(InboxProvider.Postgres), StringComparison.OrdinalIgnoreCase)
            && new SqliteConnectionStringBuilder(connectionString).DataSource is { Length: > 0 } file && file != ":memory:")
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "keys");
        }

        return Path.Combine("data", "keys");
    }

    private sealed class ZoomOAuthClientMarker;

    // Never a 4xx: a refused code or credential stays refused, and a code can be spent only once.
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
        || (int?)outcome.Result?.StatusCode >= 500;
}
