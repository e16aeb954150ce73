using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Hosting;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address, so per-client limits (the
/// admin key's lockout) would treat all clients as one. <c>X-Forwarded-For</c> is honoured only
/// when the connection comes from an address in <c>ForwardedHeaders:KnownProxies</c> or
/// <c>ForwardedHeaders:KnownNetworks</c>; with neither set the middleware is not even added, so
/// no one can choose the address they are counted under.
/// https://learn.microsoft.com/aspnet/core/host-and-deploy/proxy-load-balancer
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrustedProxyOptions>>(provider => new Validator(provider.GetRequiredService<IConfiguration>()));
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The defaults trust loopback; only what the operator named is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Walk back through the chain while each hop is a known proxy and stop at the first
            // address that is not: that is the client, whatever it wrote into the header itself.
            forwarded.ForwardLimit = null;
            foreach (var proxy in Entries(trusted.Value.KnownProxies))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in Entries(trusted.Value.KnownNetworks))
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so every later step sees the client's address.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;
        return Entries(trusted.KnownProxies).Any() || Entries(trusted.KnownNetworks).Any() ? app.UseForwardedHeaders() : app;
    }

    // A blank entry (an unset variable in a compose file) means nothing, not "trust everyone".
    private static IEnumerable<string> Entries(List<string?> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim());

    private sealed class Validator(IConfiguration configuration) : IValidateOptions<TrustedProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, TrustedProxyOptions options)
        {
            var failures = new List<string>();
            // ForwardedHeaders__KnownProxies=10.0.0.5 (no index) binds no entry: it would look
            // configured and trust nothing.
            foreach (var list in new[] { nameof(TrustedProxyOptions.KnownProxies), nameof(TrustedProxyOptions.KnownNetworks) })
            {
                if (!string.IsNullOrWhiteSpace(configuration[$"{TrustedProxyOptions.SectionName}:{list}"]))
                {
                    failures.Add($"{TrustedProxyOptions.SectionName}:{list} is one value, which binds no entry: give each entry an index, " +
                        $"{TrustedProxyOptions.SectionName}:{list}:0 ({TrustedProxyOptions.SectionName}__{list}__0 in the environment), :1, ...");
                }
            }

            for (var i = 0; i < options.KnownProxies.Count; i++)
            {
                if (options.KnownProxies[i] is { } value && !string.IsNullOrWhiteSpace(value) && !IsAddress(value.Trim()))
                {
                    failures.Add($"{TrustedProxyOptions.SectionName}:KnownProxies:{i} is '{value}', not an IP address: write one address such as 10.0.0.5 or fd00::5.");
                }
            }

            for (var i = 0; i < options.KnownNetworks.Count; i++)
            {
                if (options.KnownNetworks[i] is { } value && !string.IsNullOrWhiteSpace(value) && !IsNetwork(value.Trim()))
                {
                    failures.Add($"{TrustedProxyOptions.SectionName}:KnownNetworks:{i} is '{value}', not a CIDR range: write the range's first address and prefix length, such as 10.0.0.0/24 or fd00::/64.");
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        // IPAddress.TryParse reads "10" as 0.0.0.10; an operator who wrote that meant something else.
        private static bool IsAddress(string value) =>
            IPAddress.TryParse(value, out var address)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || value.Count(c => c == '.') == 3);

        // 10.0.0.1/8 parses, but whether 10.0.0.0/8 or the one host was meant is a guess: refused.
        private static bool IsNetwork(string value) =>
            System.Net.IPNetwork.TryParse(value, out var network)
            && IsAddress(value[..value.IndexOf('/', StringComparison.Ordinal)])
            && network.BaseAddress.Equals(IPAddress.Parse(value[..value.IndexOf('/', StringComparison.Ordinal)]));
    }
}
