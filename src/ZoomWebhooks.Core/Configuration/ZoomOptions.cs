namespace ZoomWebhooks;

/// <summary>The <c>Zoom</c> section: which credential environment is live, and how webhooks are received.</summary>
public sealed class ZoomOptions
{
    /// <summary>The configuration section: <c>Zoom</c>.</summary>
    public const string SectionName = "Zoom";

    /// <summary>The name of the development credential set.</summary>
    public const string Development = nameof(ZoomEnvironmentsOptions.Development);

    /// <summary>The name of the production credential set.</summary>
    public const string Production = nameof(ZoomEnvironmentsOptions.Production);

    /// <summary><c>Zoom:ActiveEnvironment</c>: which credential set is live, <c>Development</c> (default) or <c>Production</c>.</summary>
    public string ActiveEnvironment { get; set; } = Development;

    /// <summary><c>Zoom:Environments</c>: the app's two credential sets.</summary>
    public ZoomEnvironmentsOptions Environments { get; set; } = new();

    /// <summary><c>Zoom:Webhooks</c>: where and how deliveries are received.</summary>
    public ZoomWebhookOptions Webhooks { get; set; } = new();

    /// <summary><c>Zoom:OAuth</c>: where Zoom's authorization server and API are.</summary>
    public ZoomOAuthOptions OAuth { get; set; } = new();

    /// <summary><c>Zoom:WebSocket</c>: events over a WebSocket event subscription instead of (or beside) webhooks.</summary>
    public ZoomWebSocketOptions WebSocket { get; set; } = new();

    /// <summary>The active environment's credentials; null when the name is neither Development nor Production.</summary>
    public ZoomEnvironmentOptions? Active => Find(ActiveEnvironment);

    /// <summary>The environment that is not active, used only to explain a rejection in the logs.</summary>
    public (string Name, ZoomEnvironmentOptions Credentials) Inactive =>
        string.Equals(ActiveEnvironment, Production, StringComparison.OrdinalIgnoreCase)
            ? (Development, Environments.Development)
            : (Production, Environments.Production);

    /// <summary>The credential set of that name (<c>Development</c> or <c>Production</c>, any case); null for any other name.</summary>
    /// <param name="name">The environment's name.</param>
    /// <returns>Its credentials, or null.</returns>
    public ZoomEnvironmentOptions? Find(string name) => name switch
    {
        _ when string.Equals(name, Development, StringComparison.OrdinalIgnoreCase) => Environments.Development,
        _ when string.Equals(name, Production, StringComparison.OrdinalIgnoreCase) => Environments.Production,
        _ => null,
    };
}

/// <summary>The <c>Zoom:Environments</c> section: the development and the production credential set.</summary>
public sealed class ZoomEnvironmentsOptions
{
    /// <summary><c>Zoom:Environments:Development</c>.</summary>
    public ZoomEnvironmentOptions Development { get; set; } = new();

    /// <summary><c>Zoom:Environments:Production</c>.</summary>
    public ZoomEnvironmentOptions Production { get; set; } = new();
}

/// <summary>One Zoom app credential set. Zoom gives every app a development and a production set.</summary>
public sealed class ZoomEnvironmentOptions
{
    /// <summary>The app's OAuth client ID of this environment; deliveries naming another in <c>clientid</c> are refused.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's OAuth client secret of this environment (never the webhook Secret Token).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Where Zoom sends the browser back after consent: the Redirect URL for OAuth entered on this
    /// environment's tab of the app (Zoom compares it exactly), ending in <c>Zoom:OAuth:CallbackPath</c>.
    /// </summary>
    public string? RedirectUri { get; set; }

    /// <summary>The webhook Secret Token (Features page of the app), not the OAuth client secret.</summary>
    public string? SecretToken { get; set; }

    /// <summary>
    /// The Zoom account of a Server-to-Server OAuth app (App Credentials page): its access token, for
    /// a WebSocket event subscription, comes from <c>grant_type=account_credentials</c> for this account.
    /// </summary>
    public string? AccountId { get; set; }

    /// <summary>Tokens still accepted while a rotation is under way.</summary>
    public IList<string> PreviousSecretTokens { get; set; } = [];

    /// <summary>The current Secret Token first, then the previous ones.</summary>
    /// <returns>The tokens a delivery's signature may be made with.</returns>
    public IReadOnlyList<string> AcceptedSecretTokens() =>
        [.. new[] { SecretToken }.Concat(PreviousSecretTokens).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!)];
}

/// <summary>The <c>Zoom:Webhooks</c> section.</summary>
public sealed class ZoomWebhookOptions
{
    /// <summary>Where Zoom posts: <c>/webhooks/zoom</c> by default.</summary>
    public string Path { get; set; } = "/webhooks/zoom";

    /// <summary>Zoom documents no replay window; five minutes both ways is the common practice.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Larger bodies are refused with 413 (default 256 KiB).</summary>
    public long MaxBodyBytes { get; set; } = 262_144;

    /// <summary>
    /// How long storing one event may take before the answer is 503. Zoom waits 3 seconds in all;
    /// a slow store must cost a retry later, not a timeout that Zoom counts as a failure.
    /// </summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The <c>Zoom:OAuth</c> section: where Zoom's authorization server and API are. Zoom's own by
/// default; tests and sandboxes point them at a peer of their own.
/// https://developers.zoom.us/docs/integrations/oauth/
/// </summary>
public sealed class ZoomOAuthOptions
{
    /// <summary>Where a browser starts the app's authorization.</summary>
    public const string LoginPath = "/zoom/login";

    /// <summary>Zoom's consent page.</summary>
    public string AuthorizeUrl { get; set; } = "https://zoom.us/oauth/authorize";

    /// <summary>Zoom's token endpoint.</summary>
    public string TokenUrl { get; set; } = "https://zoom.us/oauth/token";

    /// <summary>Zoom's REST API, without <c>/v2</c>; the service asks it <c>/v2/users/me</c> whose token it got.</summary>
    public string ApiUrl { get; set; } = "https://api.zoom.us";

    /// <summary>The path of the redirect URI, where this service takes Zoom's answer.</summary>
    public string CallbackPath { get; set; } = "/zoom/login/callback";

    /// <summary>An access token this close to its expiry is refreshed before use (Zoom's last an hour).</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a call to Zoom that failed for a transient reason (5xx, no answer); a 4xx is never retried.</summary>
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay; it doubles, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The <c>Zoom:WebSocket</c> section: a WebSocket event subscription (Server-to-Server OAuth or
/// General app, account level). Off unless <see cref="Enabled"/>; Zoom never redelivers what it sent
/// while the socket was closed. https://developers.zoom.us/docs/api/websockets/
/// </summary>
public sealed class ZoomWebSocketOptions
{
    /// <summary>Zoom's WebSocket endpoint.</summary>
    public const string DefaultUrl = "wss://ws.zoom.us/ws";

    /// <summary><c>Zoom:WebSocket:Enabled</c>: connect to the subscription at start (default false: nothing runs).</summary>
    public bool Enabled { get; set; }

    /// <summary><c>Zoom:WebSocket:SubscriptionId</c>: the id of the app's WebSocket event subscription.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary><c>Zoom:WebSocket:Url</c>: where to connect, <c>wss://ws.zoom.us/ws</c> by default.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary><c>Zoom:WebSocket:HeartbeatInterval</c>: how often <c>{"module":"heartbeat"}</c> is sent; Zoom asks for every 30 seconds.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Zoom:WebSocket:UnreadyAfter</c>: <c>/health/ready</c> fails once the socket has been down this long.</summary>
    public TimeSpan UnreadyAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>Zoom:WebSocket:ReconnectDelay</c>: the median first delay of a failed reconnect; it doubles, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>Zoom:WebSocket:MaxReconnectDelay</c>: the longest wait between two reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>Zoom:WebSocket:LeaseInterval</c>: on PostgreSQL, how often a receiver without the
    /// subscription's lease tries to take it, and the holder checks it still has it.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(2);
}
