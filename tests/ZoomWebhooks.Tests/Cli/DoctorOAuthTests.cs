namespace ZoomWebhooks.Tests.Cli;

/// <summary><c>zoomhook doctor</c> on the OAuth settings.</summary>
public sealed class DoctorOAuthTests
{
    private const string DevToken = "Dk3vTokenAbCdEfGhIjKlMn";
    private const string DevSecret = "Dv9ClientSecretQwErTy";

    [Fact]
    public async Task A_redirect_uri_that_is_not_the_callback_path_is_an_error()
    {
        using var cli = new CliRunner(Dev("http://localhost:5080/oauth/return"));

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("Zoom:Environments:Development:RedirectUri is 'http://localhost:5080/oauth/return' but the service takes Zoom's answer at /zoom/login/callback");
        result.Out.Should().NotContain(DevSecret);
    }

    [Fact]
    public async Task A_missing_production_redirect_is_a_warning_and_a_good_development_one_is_ok()
    {
        using var cli = new CliRunner(Dev("http://localhost:5080/zoom/login/callback"));

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("ok     Zoom:Environments:Development:RedirectUri is http://localhost:5080/zoom/login/callback")
            .And.Contain("warn   Zoom:Environments:Production:RedirectUri is not set");
    }

    [Fact]
    public async Task An_http_production_redirect_is_an_error()
    {
        using var cli = new CliRunner("""{"Zoom":{"Environments":{"Development":{"SecretToken":"Dk3vTokenAbCdEfGhIjKlMn"},"Production":{"ClientSecret":"Pr0dSecretZxCvBnM","RedirectUri":"http://hooks.example.com/zoom/login/callback"}}}}""");

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("a production redirect must be https://");
    }

    [Fact]
    public async Task Without_OAuth_settings_doctor_says_login_is_off()
    {
        using var cli = new CliRunner("{\"Zoom\":{\"Environments\":{\"Development\":{\"SecretToken\":\"" + DevToken + "\"}}}}");

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("OAuth is not configured");
    }

    private static string Dev(string redirectUri) =>
        "{\"Zoom\":{\"Environments\":{\"Development\":{\"SecretToken\":\"" + DevToken + "\",\"ClientId\":\"DevClientId77\",\"ClientSecret\":\"" + DevSecret + "\",\"RedirectUri\":\"" + redirectUri + "\"}}}}";
}
