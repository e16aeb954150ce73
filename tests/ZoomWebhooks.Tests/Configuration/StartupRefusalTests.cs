using System.Security.Cryptography;
using System.Text.Json;
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
    [InlineData("Production", "Zoom:Environments:Production:SecretToken", "demo-secret-token-for-the-readme-0001", "looks like a placeholder")]
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

    private const string PreviousKey = "Zoom:Environments:Production:PreviousSecretTokens";

    public static TheoryData<string, Dictionary<string, string?>, string> RefusedRotations => new()
    {
        // The rotation list is the way round every check on SecretToken: each accepted token gets the same ones.
        { "Production", new() { [$"{PreviousKey}:0"] = "local-dev-secret-token-not-for-production" }, $"{PreviousKey}:0 looks like a placeholder" },
        { "Production", new() { [$"{PreviousKey}:0"] = "Rm9ybWVyUHJvZHVjdGlvblRva2Vu", [$"{PreviousKey}:1"] = "Xk2p9Lq" }, $"{PreviousKey}:1 looks like a placeholder" },
        { "Production", new() { [$"{PreviousKey}:0"] = "changeme-please-1234" }, $"{PreviousKey}:0 looks like a placeholder" },
        { "Production", new() { [$"{PreviousKey}:0"] = ServiceFactory.DevelopmentSecret }, $"{PreviousKey}:0 is the same as Zoom:Environments:Development:SecretToken" },
        {
            "Production",
            new() { ["Zoom:Environments:Development:PreviousSecretTokens:0"] = "Rm9ybWVyRGV2ZWxvcG1lbnRUb2tlbg", [$"{PreviousKey}:0"] = "Rm9ybWVyRGV2ZWxvcG1lbnRUb2tlbg" },
            $"{PreviousKey}:0 is the same as Zoom:Environments:Development:PreviousSecretTokens:0"
        },
        {
            "Production",
            new() { ["Zoom:Environments:Production:ClientSecret"] = "Q2xpZW50U2VjcmV0T2ZQcm9k", [$"{PreviousKey}:0"] = "Q2xpZW50U2VjcmV0T2ZQcm9k" },
            $"{PreviousKey}:0 equals Zoom:Environments:Production:ClientSecret"
        },
        {
            "Development",
            new() { ["Zoom:Environments:Development:ClientSecret"] = "Q2xpZW50U2VjcmV0T2ZEZXY", ["Zoom:Environments:Development:PreviousSecretTokens:0"] = "Q2xpZW50U2VjcmV0T2ZEZXY" },
            "Zoom:Environments:Development:PreviousSecretTokens:0 equals Zoom:Environments:Development:ClientSecret"
        },
        {
            "Development",
            new() { ["Zoom:Environments:Production:ClientSecret"] = ServiceFactory.DevelopmentSecret },
            "Zoom:Environments:Development:SecretToken equals Zoom:Environments:Production:ClientSecret"
        },
    };

    [Theory]
    [MemberData(nameof(RefusedRotations))]
    public void Every_accepted_token_passes_the_checks_of_the_current_one(string active, Dictionary<string, string?> tokens, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = active,
            ["Zoom:Environments:Development:SecretToken"] = ServiceFactory.DevelopmentSecret,
            ["Zoom:Environments:Production:SecretToken"] = ServiceFactory.ProductionSecret,
        };
        foreach (var (key, value) in tokens)
        {
            settings[key] = value;
        }

        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Zoom").Get<ZoomOptions>()!;

        var result = new ZoomOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Contain(expected);
        foreach (var token in tokens.Values)
        {
            result.FailureMessage.Should().NotContain(token);
        }
    }

    [Theory]
    [InlineData("Zoom:Environments:Development:SecretToken", "changeme-changeme-changeme", "Zoom:Environments:Development:SecretToken looks like a placeholder")]
    [InlineData("Zoom:Environments:Development:PreviousSecretTokens:0", "your-old-token-goes-here", "Zoom:Environments:Development:PreviousSecretTokens:0 looks like a placeholder")]
    [InlineData("Zoom:Environments:Development:SecretToken", ServiceFactory.ProductionSecret, "Zoom:Environments:Development:SecretToken is the same as Zoom:Environments:Production:SecretToken")]
    public void On_a_Production_host_the_Development_tokens_get_the_same_checks(string key, string value, string expected)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = "Development",
            ["Zoom:Environments:Development:SecretToken"] = ServiceFactory.DevelopmentSecret,
            ["Zoom:Environments:Production:SecretToken"] = ServiceFactory.ProductionSecret,
            [key] = value,
        }).Build().GetSection("Zoom").Get<ZoomOptions>()!;

        var onProductionHost = new ZoomOptionsValidator(productionHost: true).Validate(null, options);

        onProductionHost.Failures.Should().ContainSingle().Which.Should().Contain(expected).And.NotContain(value);
        new ZoomOptionsValidator(productionHost: false).Validate(null, options).Succeeded
            .Should().BeTrue("a developer's machine may run on the public template token");
    }

    [Fact]
    public void An_empty_rotation_slot_is_no_token_and_passes()
    {
        // docker-compose.yml passes PreviousSecretTokens__0 empty when no rotation is under way.
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = "Production",
            ["Zoom:Environments:Production:SecretToken"] = ServiceFactory.ProductionSecret,
            [$"{PreviousKey}:0"] = "",
        }).Build().GetSection("Zoom").Get<ZoomOptions>()!;

        new ZoomOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
        options.Active!.AcceptedSecretTokens().Should().Equal(ServiceFactory.ProductionSecret);
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

    [Fact]
    public async Task The_public_Development_token_as_a_previous_Production_token_stops_the_service()
    {
        // The finding as reported: with this the README's curl example forged any event in Production.
        var publicToken = JsonDocument.Parse(RepositoryFiles.Read("appsettings.Development.json")).RootElement
            .GetProperty("Zoom").GetProperty("Environments").GetProperty("Development").GetProperty("SecretToken").GetString()!;
        var current = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=');
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Production",
            ["Zoom__Environments__Production__SecretToken"] = current,
            ["Zoom__Environments__Production__PreviousSecretTokens__0"] = publicToken,
        });

        var exitCode = await service.WaitForExitAsync();

        exitCode.Should().NotBe(0, service.Output);
        service.Output.Split('\n').Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal))
            .Which.Should().Contain("Zoom:Environments:Production:PreviousSecretTokens:0 looks like a placeholder");
        service.Output.Should().NotContain(publicToken).And.NotContain(current);
    }

    [Fact]
    public async Task A_placeholder_token_stops_a_Production_host_even_with_Development_credentials_active()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = "changeme-changeme-changeme",
        });

        var exitCode = await service.WaitForExitAsync();

        exitCode.Should().NotBe(0, service.Output);
        service.Output.Split('\n').Should().ContainSingle(l => l.Contains("FTL", StringComparison.Ordinal))
            .Which.Should().Contain("Zoom:Environments:Development:SecretToken looks like a placeholder");
        service.Output.Should().NotContain("changeme-changeme-changeme");
    }
}
