namespace ZoomWebhooks.Configuration;

/// <summary>The <c>Zoom</c> section: which credential environment is live, and how webhooks are received.</summary>
public sealed class ZoomOptions
{
    public const string SectionName = "Zoom";
    public const string Development = nameof(ZoomEnvironmentsOptions.Development);
    public const string Production = nameof(ZoomEnvironmentsOptions.Production);

    public string ActiveEnvironment { get; set; } = Development;

    public ZoomEnvironmentsOptions Environments { get; set; } = new();

    public ZoomWebhookOptions Webhooks { get; set; } = new();

    /// <summary>The active environment's credentials; null when the name is neither Development nor Production.</summary>
    public ZoomEnvironmentOptions? Active => Find(ActiveEnvironment);

    /// <summary>The environment that is not active, used only to explain a rejection in the logs.</summary>
    public (string Name, ZoomEnvironmentOptions Credentials) Inactive =>
        string.Equals(ActiveEnvironment, Production, StringComparison.OrdinalIgnoreCase)
            ? (Development, Environments.Development)
            : (Production, Environments.Production);

    public ZoomEnvironmentOptions? Find(string name) => name switch
    {
        _ when string.Equals(name, Development, StringComparison.OrdinalIgnoreCase) => Environments.Development,
        _ when string.Equals(name, Production, StringComparison.OrdinalIgnoreCase) => Environments.Production,
        _ => null,
    };
}

public sealed class ZoomEnvironmentsOptions
{
    public ZoomEnvironmentOptions Development { get; set; } = new();

    public ZoomEnvironmentOptions Production { get; set; } = new();
}

/// <summary>One Zoom app credential set. Zoom gives every app a development and a production set.</summary>
public sealed class ZoomEnvironmentOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The webhook Secret Token (Features page of the app), not the OAuth client secret.</summary>
    public string? SecretToken { get; set; }

    /// <summary>Tokens still accepted while a rotation is under way.</summary>
    public IList<string> PreviousSecretTokens { get; set; } = [];

    /// <summary>The current Secret Token first, then the previous ones.</summary>
    public IReadOnlyList<string> AcceptedSecretTokens() =>
        [.. new[] { SecretToken }.Concat(PreviousSecretTokens).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!)];
}

public sealed class ZoomWebhookOptions
{
    public string Path { get; set; } = "/webhooks/zoom";

    /// <summary>Zoom documents no replay window; five minutes both ways is the common practice.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public long MaxBodyBytes { get; set; } = 262_144;

    /// <summary>
    /// How long storing one event may take before the answer is 503. Zoom waits 3 seconds in all;
    /// a slow store must cost a retry later, not a timeout that Zoom counts as a failure.
    /// </summary>
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
