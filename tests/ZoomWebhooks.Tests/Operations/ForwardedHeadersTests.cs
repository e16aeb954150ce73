using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Hosting;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Operations;

/// <summary>
/// Behind a reverse proxy every connection comes from the proxy: the admin lockout must count the
/// client the proxy names, and believe that name only from a proxy it was told about.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Key = "admin-key-Zx91-long-enough-for-32-chars-0001";
    private const string Proxy = "10.20.30.40";

    [Fact]
    public async Task Behind_a_configured_proxy_two_forwarded_clients_are_locked_out_separately()
    {
        using var factory = Factory(new() { ["ForwardedHeaders:KnownProxies:0"] = Proxy });

        var first = await StatusesAsync(factory, "203.0.113.7", 3);
        var second = await StatusesAsync(factory, "198.51.100.9", 1);

        first.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
        second.Should().Equal(HttpStatusCode.Unauthorized);
        Clients(factory).Should().BeEquivalentTo(["203.0.113.7", "198.51.100.9"]);
    }

    [Fact]
    public async Task A_configured_network_is_trusted_like_a_proxy()
    {
        using var factory = Factory(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.20.0.0/16" });

        (await StatusesAsync(factory, "203.0.113.7", 3)).Should().EndWith(HttpStatusCode.TooManyRequests);
        (await StatusesAsync(factory, "198.51.100.9", 1)).Should().Equal(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_configured_proxies_the_header_is_ignored_and_everyone_is_the_connection_address()
    {
        using var factory = Factory([]);

        await StatusesAsync(factory, "203.0.113.7", 2);
        var other = await StatusesAsync(factory, "198.51.100.9", 1);

        other.Should().Equal(HttpStatusCode.TooManyRequests);
        Clients(factory).Should().Equal(Proxy);
    }

    [Fact]
    public async Task A_header_from_an_address_that_is_not_a_configured_proxy_is_ignored()
    {
        // Loopback is trusted by ASP.NET Core's defaults; here only what was configured counts.
        using var factory = Factory(new() { ["ForwardedHeaders:KnownProxies:0"] = "10.99.99.99" }, peer: IPAddress.Loopback);

        await StatusesAsync(factory, "203.0.113.7", 2);
        var other = await StatusesAsync(factory, "198.51.100.9", 1);

        other.Should().Equal(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.internal", "ForwardedHeaders:KnownProxies:0 is 'proxy.internal', not an IP address")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10", "ForwardedHeaders:KnownProxies:0 is '10', not an IP address")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks:0 is '10.0.0.0/33', not a CIDR range")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.1/8", "ForwardedHeaders:KnownNetworks:0 is '10.0.0.1/8', not a CIDR range")]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.5", "ForwardedHeaders:KnownProxies is one value, which binds no entry")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/24", "ForwardedHeaders:KnownNetworks is one value, which binds no entry")]
    public void An_invalid_entry_stops_the_service_at_start_naming_the_key(string key, string value, string expected)
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build())
            .AddTrustedProxies()
            .BuildServiceProvider();

        var read = () => services.GetRequiredService<IOptions<TrustedProxyOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void Valid_entries_and_blank_ones_are_accepted()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
                ["ForwardedHeaders:KnownProxies:1"] = "fd00::5",
                ["ForwardedHeaders:KnownProxies:2"] = "",
                ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/24",
                ["ForwardedHeaders:KnownNetworks:1"] = "fd00::/64",
            }).Build())
            .AddTrustedProxies()
            .BuildServiceProvider();

        var forwarded = services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        forwarded.KnownProxies.Should().Equal(IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5"));
        forwarded.KnownIPNetworks.Should().Equal(System.Net.IPNetwork.Parse("10.0.0.0/24"), System.Net.IPNetwork.Parse("fd00::/64"));
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(ServiceFactory factory, string forwardedFor, int count)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        // What a proxy sends on: whatever the client wrote, then the address it saw.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", $"192.0.2.1, {forwardedFor}");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await client.GetAsync(new Uri("/admin/events", UriKind.Relative))).StatusCode);
        }

        return statuses;
    }

    private static IEnumerable<object?> Clients(ServiceFactory factory) =>
        factory.Logs.Events.Where(e => e.Properties.ContainsKey("Client")).Select(e => LogCapture.Scalar(e, "Client")).Distinct();

    private static ServiceFactory Factory(Dictionary<string, string?> settings, IPAddress? peer = null)
    {
        settings["Admin:ApiKey"] = Key;
        settings["Admin:FailuresPerMinute"] = "2";
        var address = peer ?? IPAddress.Parse(Proxy);
        return new ServiceFactory(settings).WithServices(s => s.AddSingleton<IStartupFilter>(new ConnectionFrom(address)));
    }

    /// <summary>The in-memory server has no socket; this gives every request the peer address a real one would.</summary>
    private sealed class ConnectionFrom(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
