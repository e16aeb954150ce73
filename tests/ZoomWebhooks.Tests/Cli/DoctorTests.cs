namespace ZoomWebhooks.Tests.Cli;

public sealed class DoctorTests
{
    private const string DevToken = "Dk3vTokenAbCdEfGhIjKlMn";
    private const string ProdToken = "Pq8rTokenZyXwVuTsRqPoNm";

    [Fact]
    public async Task The_repository_s_default_configuration_passes()
    {
        using var cli = new CliRunner(appsettings: null);
        var root = CliRunner.RepositoryRoot();
        cli.WriteFile("appsettings.json", await File.ReadAllTextAsync(Path.Combine(root, "appsettings.json")));
        cli.WriteFile("appsettings.Development.json", await File.ReadAllTextAsync(Path.Combine(root, "appsettings.Development.json")));

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("Configuration: appsettings.json, appsettings.Development.json")
            .And.Contain("ok     Zoom:Environments:Development:SecretToken is set: loca**** (41 chars)")
            .And.Contain("No errors");
        result.Out.Should().NotContain("local-dev-secret-token-not-for-production");
    }

    public static TheoryData<string, string[], string> BrokenConfigurations => new()
    {
        { """{"Zoom":{}}""", [], "Zoom:Environments:Development:SecretToken is not set" },
        { Dev($$"""{"SecretToken":"{{DevToken}}","ClientSecret":"{{DevToken}}"}"""), [], "equals Zoom:Environments:Development:ClientSecret" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{ProdToken}}","ClientSecret":"{{DevToken}}"}"""), [], "Development:SecretToken equals Zoom:Environments:Production:ClientSecret" },
        { Both($$"""{"SecretToken":"{{DevToken}}","ClientId":"SameClientId42"}""", $$"""{"SecretToken":"{{ProdToken}}","ClientId":"SameClientId42"}"""), [], "Zoom:Environments:Development:ClientId and Zoom:Environments:Production:ClientId are the same value" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{DevToken}}"}"""), ["--env", "Production"], "is the same as Zoom:Environments:Development:SecretToken" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", """{"SecretToken":"your-production-secret-token-here"}"""), ["--env", "Production"], "Production:SecretToken looks like a placeholder" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{ProdToken}}","ClientSecret":"changeme-client-secret"}"""), ["--env", "Production"], "Production:ClientSecret looks like a placeholder" },
        { Dev($$"""{"SecretToken":"{{DevToken}}"}""", """ ,"Webhooks":{"PublicUrl":"http://hooks.example.com/webhooks/zoom"}"""), [], "Zoom only delivers to https:// URLs" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{ProdToken}}","PreviousSecretTokens":["local-dev-secret-token-not-for-production"]}"""), ["--env", "Production"], "Zoom:Environments:Production:PreviousSecretTokens:0 looks like a placeholder" },
        { Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{ProdToken}}","PreviousSecretTokens":["{{DevToken}}"]}"""), ["--env", "Production"], "Zoom:Environments:Production:PreviousSecretTokens:0 is the same as Zoom:Environments:Development:SecretToken" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigurations))]
    public async Task A_broken_configuration_fails_with_the_key_named_and_no_secret_shown(string appsettings, string[] extraArgs, string expected)
    {
        using var cli = new CliRunner(appsettings);

        var result = await cli.RunAsync(["doctor", .. extraArgs]);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain(expected).And.Contain("error(s)");
        result.Out.Should().NotContain(DevToken).And.NotContain(ProdToken).And.NotContain("SameClientId42");
    }

    [Fact]
    public async Task Development_credentials_on_a_Production_host_are_an_error()
    {
        using var cli = new CliRunner(Dev($$"""{"SecretToken":"{{DevToken}}"}"""));
        cli.Variables["ASPNETCORE_ENVIRONMENT"] = "Production";

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(1);
        result.Out.Should().Contain("The host environment is Production but Zoom:ActiveEnvironment is Development")
            .And.Contain("-> Set Zoom__ActiveEnvironment=Production");
    }

    [Fact]
    public async Task A_placeholder_token_on_a_Production_host_is_an_error_as_the_service_refuses_it()
    {
        using var cli = new CliRunner(Dev("""{"SecretToken":"changeme-changeme-changeme"}"""));
        cli.Variables["ASPNETCORE_ENVIRONMENT"] = "Production";

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(1);
        result.Out.Should().Contain("error  Zoom:Environments:Development:SecretToken looks like a placeholder")
            .And.NotContain("changeme-changeme-changeme");
    }

    [Fact]
    public async Task Production_credentials_while_testing_are_a_warning_only()
    {
        using var cli = new CliRunner(Both($$"""{"SecretToken":"{{DevToken}}"}""", $$"""{"SecretToken":"{{ProdToken}}","ClientId":"Xy7ProdClientIdAbCd12"}"""));
        cli.Variables["Zoom__ActiveEnvironment"] = "Production";

        var result = await cli.RunAsync("doctor");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("warn   The host environment is Development but Zoom:ActiveEnvironment is Production")
            .And.Contain("warn   Zoom:Webhooks:PublicUrl is not set");
    }

    private static string Dev(string development, string more = "") =>
        """{"Zoom":{"Environments":{"Development":""" + development + "}" + more + "}}";

    private static string Both(string development, string production) =>
        """{"Zoom":{"Environments":{"Development":""" + development + ""","Production":""" + production + "}}}";
}
