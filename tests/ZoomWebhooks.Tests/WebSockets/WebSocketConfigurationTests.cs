using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.WebSockets;

/// <summary>What start-up refuses for the WebSocket transport, and the Server-to-Server token's cache.</summary>
public sealed class WebSocketConfigurationTests
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["Zoom:ActiveEnvironment"] = "Development",
        ["Zoom:Environments:Development:SecretToken"] = ServiceFactory.DevelopmentSecret,
        ["Zoom:WebSocket:Enabled"] = "true",
        ["Zoom:WebSocket:SubscriptionId"] = "sub-1",
        ["Zoom:Environments:Development:AccountId"] = "acct-1",
        ["Zoom:Environments:Development:ClientId"] = "client-1",
        ["Zoom:Environments:Development:ClientSecret"] = "client-secret-1",
    };

    [Theory]
    [InlineData("Zoom:WebSocket:SubscriptionId", "", "Zoom:WebSocket:SubscriptionId is not set")]
    [InlineData("Zoom:Environments:Development:AccountId", "", "Zoom:Environments:Development:AccountId is not set")]
    [InlineData("Zoom:Environments:Development:ClientId", "", "Zoom:Environments:Development:ClientId is not set")]
    [InlineData("Zoom:Environments:Development:ClientSecret", "", "Zoom:Environments:Development:ClientSecret is not set")]
    [InlineData("Zoom:WebSocket:Url", "ws://ws.zoom.us/ws", "Zoom:WebSocket:Url is 'ws://ws.zoom.us/ws'")]
    [InlineData("Zoom:WebSocket:Url", "https://ws.zoom.us/ws", "Zoom:WebSocket:Url is 'https://ws.zoom.us/ws'")]
    [InlineData("Zoom:WebSocket:Url", "wss://ws.zoom.us/ws?subscriptionId=x", "must be an absolute wss:// URL without a query")]
    [InlineData("Zoom:WebSocket:HeartbeatInterval", "00:05:00", "Zoom:WebSocket:HeartbeatInterval must be positive and at most 00:01:00")]
    [InlineData("Zoom:WebSocket:MaxReconnectDelay", "00:00:00.100", "Zoom:WebSocket:MaxReconnectDelay at least ReconnectDelay")]
    public void An_enabled_WebSocket_without_what_it_needs_is_refused_naming_the_key(string key, string value, string expected)
    {
        var result = Validate(new Dictionary<string, string?>(Complete) { [key] = value });

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Contain(expected).And.NotContain("client-secret-1");
    }

    [Fact]
    public void A_complete_configuration_passes_and_a_disabled_one_needs_nothing()
    {
        Validate(Complete).Succeeded.Should().BeTrue();
        Validate(new Dictionary<string, string?>(Complete) { ["Zoom:WebSocket:Url"] = "ws://127.0.0.1:9010/ws" }).Succeeded.Should().BeTrue("a local fake");
        Validate(new()
        {
            ["Zoom:Environments:Development:SecretToken"] = ServiceFactory.DevelopmentSecret,
            ["Zoom:WebSocket:Enabled"] = "false",
            ["Zoom:WebSocket:Url"] = "not a url",
        }).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task The_process_refuses_to_start_naming_the_missing_key()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__Environments__Development__SecretToken"] = "Zx8pQ2vLm4Rt7Wy1Kc6Nb3Hd",
            ["Zoom__WebSocket__Enabled"] = "true",
            ["Zoom__WebSocket__SubscriptionId"] = "sub-1",
            ["Zoom__Environments__Development__ClientId"] = "client-1",
            ["Zoom__Environments__Development__ClientSecret"] = "client-secret-must-not-leak-1",
        });

        (await service.WaitForExitAsync()).Should().NotBe(0);
        service.Output.Split('\n').Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal))
            .Which.Should().Contain("Zoom:Environments:Development:AccountId is not set");
        service.Output.Should().NotContain("client-secret-must-not-leak-1");
    }

    [Fact]
    public async Task The_account_token_is_cached_fetched_again_before_it_expires_and_after_Zoom_refused_it()
    {
        await using var oauth = await FakeZoomOAuth.StartAsync();
        oauth.RegisterServerApp("client-1", "client-secret-1", "acct-1");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new FixedOptions<ZoomOptions>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(Complete)
        {
            ["Zoom:OAuth:TokenUrl"] = oauth.TokenUrl,
            ["Zoom:OAuth:RefreshBefore"] = "00:05:00",
        }).Build().GetSection("Zoom").Get<ZoomOptions>()!);
        using var http = new HttpClient();
        var tokens = new AccountTokens(new ZoomOAuthClient(http, options), options, time);

        var first = await tokens.GetAsync(default);
        (await tokens.GetAsync(default)).Should().BeSameAs(first);
        time.Advance(TimeSpan.FromMinutes(54));
        (await tokens.GetAsync(default)).Should().BeSameAs(first, "an hour's token is good for 55 minutes with RefreshBefore 5");
        time.Advance(TimeSpan.FromMinutes(2));
        var second = await tokens.GetAsync(default);
        second.AccessToken.Should().NotBe(first.AccessToken, "fetched again before it expires");
        tokens.Invalidate(second);
        var third = await tokens.GetAsync(default);

        third.AccessToken.Should().NotBe(second.AccessToken);
        oauth.AccountGrants.Should().Be(3);
        oauth.IsValidAccountToken(third.AccessToken).Should().BeTrue();
        third.ToString().Should().NotContain(third.AccessToken);
    }

    private static ValidateOptionsResult Validate(Dictionary<string, string?> settings) =>
        new ZoomOptionsValidator().Validate(null, new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Zoom").Get<ZoomOptions>()!);
}
