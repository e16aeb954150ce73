using Microsoft.Extensions.Configuration;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Configuration;

/// <summary>A configuration that would verify nothing, or verify with the wrong secret, stops the service at boot.</summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("Development", "Zoom:Environments:Development:SecretToken", "", "Zoom:Environments:Development:SecretToken is not set")]
    [InlineData("Production", "Zoom:Environments:Production:SecretToken", "", "Zoom:Environments:Production:SecretToken is not set")]
    [InlineData("Staging", "Zoom:ActiveEnvironment", "Staging", "Zoom:ActiveEnvironment is 'Staging'")]
    [InlineData("Production", "Zoom:Environments:Production:SecretToken", "your-secret-token-here-please", "looks like a placeholder")]
    [InlineData("Production", "Zoom:Environments:Production:SecretToken", "short", "looks like a placeholder")]
    [InlineData("Production", "Zoom:Environments:Production:SecretToken", ServiceFactory.DevelopmentSecret, "is the same as Zoom:Environments:Development:SecretToken")]
    [InlineData("Production", "Zoom:Environments:Production:ClientSecret", ServiceFactory.ProductionSecret, "equals Zoom:Environments:Production:ClientSecret")]
    public void The_configuration_is_refused_with_the_key_named(string active, string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = active,
            ["Zoom:Environments:Development:SecretToken"] = ServiceFactory.DevelopmentSecret,
            ["Zoom:Environments:Production:SecretToken"] = ServiceFactory.ProductionSecret,
            [key] = value,
        };
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Zoom").Get<ZoomOptions>()!;

        var result = new ZoomOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Theory]
    [InlineData("Development", ServiceFactory.DevelopmentSecret)]
    [InlineData("Production", ServiceFactory.ProductionSecret)]
    public void A_complete_configuration_passes(string active, string token)
    {
        var options = new ZoomOptions { ActiveEnvironment = active };
        options.Environments.Development.SecretToken = ServiceFactory.DevelopmentSecret;
        options.Environments.Production.SecretToken = ServiceFactory.ProductionSecret;

        new ZoomOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.Active!.AcceptedSecretTokens().Should().Equal(token);
    }

    [Theory]
    [InlineData("Qm9vdHN0cmFwUHJvZFRva2VuMQ")]
    [InlineData("x7Kp2mNq9RtVw4Yz8BcDfG")]
    public void A_real_looking_token_is_not_a_placeholder(string token) =>
        ZoomOptionsValidator.LooksLikePlaceholder(token).Should().BeFalse();

    [Theory]
    [InlineData("Production", "Zoom:Environments:Production:SecretToken is not set")]
    [InlineData("Qa", "Zoom:ActiveEnvironment is 'Qa'")]
    public async Task The_process_exits_non_zero_with_one_line_naming_the_key_and_no_secret(string active, string expected)
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = active,
            ["Zoom__Environments__Development__SecretToken"] = "dev-secret-that-must-not-leak-123",
        });

        var exitCode = await service.WaitForExitAsync();

        exitCode.Should().NotBe(0);
        var lines = service.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal)).Which.Should().Contain(expected);
        service.Output.Should().NotContain("dev-secret-that-must-not-leak-123");
    }
}
