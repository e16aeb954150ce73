using ZoomWebhooks.Cli;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Tests.Cli;

public sealed class CliSettingsTests
{
    [Fact]
    public void Settings_are_found_from_a_subfolder_and_layered_like_the_service()
    {
        using var cli = new CliRunner("""{"Zoom":{"Environments":{"Development":{"SecretToken":"from-appsettings-json-000"}}},"urls":"http://0.0.0.0:6000"}""");
        cli.WriteFile("appsettings.Development.json", """{"Zoom":{"Webhooks":{"Path":"/hooks/zoom"}}}""");
        cli.UserSecretsFile = cli.WriteFile("secrets/secrets.json", """{"Zoom":{"Environments":{"Development":{"SecretToken":"from-user-secrets-0000"}}}}""");
        var sub = Path.Combine(cli.Folder, "src", "deep");
        Directory.CreateDirectory(sub);

        var settings = CliSettings.Load(Environment(cli, sub));

        settings.RootDirectory.Should().Be(cli.Folder);
        settings.Sources.Should().Contain("user secrets (zoomwebhooks-local)");
        settings.SecretToken.Should().Be("from-user-secrets-0000");
        settings.WebhookUrl.Should().Be(new Uri("http://127.0.0.1:6000/hooks/zoom"));
    }

    [Fact]
    public void Environment_variables_win_and_user_secrets_are_read_in_Development_only()
    {
        using var cli = new CliRunner();
        cli.UserSecretsFile = cli.WriteFile("secrets.json", """{"Zoom":{"Environments":{"Production":{"SecretToken":"from-user-secrets-0000"}}}}""");
        cli.Variables["DOTNET_ENVIRONMENT"] = "Production";
        cli.Variables["Zoom__ActiveEnvironment"] = "Production";
        cli.Variables["Zoom__Environments__Production__SecretToken"] = "from-environment-00000";

        var settings = CliSettings.Load(Environment(cli, cli.Folder));

        settings.HostEnvironment.Should().Be("Production");
        settings.SecretToken.Should().Be("from-environment-00000");
        settings.Sources.Should().NotContain(s => s.StartsWith("user secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void Command_line_overrides_come_last()
    {
        using var cli = new CliRunner();

        var settings = CliSettings.Load(Environment(cli, cli.Folder), "Production", "from-command-line-0000", "http://127.0.0.1:7000/custom");

        settings.Zoom.ActiveEnvironment.Should().Be("Production");
        settings.SecretToken.Should().Be("from-command-line-0000");
        settings.Zoom.Environments.Development.SecretToken.Should().Be(Support.ServiceFactory.DevelopmentSecret);
        settings.WebhookUrl.Should().Be(new Uri("http://127.0.0.1:7000/custom"));
    }

    [Theory]
    [InlineData(null, "(not set)")]
    [InlineData("short-secret", "**** (12 chars)")]
    [InlineData("AbCdEfGhIjKlMnOpQrStUv", "AbCd**** (22 chars)")]
    public void Secrets_are_masked(string? value, string shown) => Mask.Secret(value).Should().Be(shown);

    private static CliEnvironment Environment(CliRunner cli, string workingDirectory) =>
        new(TextWriter.Null, TextWriter.Null, workingDirectory, cli.Variables) { UserSecretsFile = cli.UserSecretsFile };
}
