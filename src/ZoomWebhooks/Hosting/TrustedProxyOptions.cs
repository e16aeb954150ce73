namespace ZoomWebhooks.Hosting;

/// <summary>
/// The <c>ForwardedHeaders</c> section: the reverse proxies whose <c>X-Forwarded-For</c> is
/// believed. Empty (the default) = no proxy is trusted and the header is ignored.
/// </summary>
public sealed class TrustedProxyOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Proxy addresses, one per entry: <c>10.0.0.5</c>, <c>fd00::5</c>.</summary>
    public List<string?> KnownProxies { get; set; } = [];

    /// <summary>Proxy ranges in CIDR notation, one per entry: <c>10.0.0.0/24</c>, <c>fd00::/64</c>.</summary>
    public List<string?> KnownNetworks { get; set; } = [];
}
