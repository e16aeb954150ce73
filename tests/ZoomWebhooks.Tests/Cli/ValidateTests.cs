using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ZoomWebhooks.Signing;

namespace ZoomWebhooks.Tests.Cli;

public sealed class ValidateTests
{
    [Fact]
    public async Task The_service_passes_Zoom_s_URL_validation()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--url", server.BaseUrl);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain("ok    encryptedToken = HMAC-SHA256(Secret Token, plainToken)")
            .And.Contain("ok    unsigned challenge refused (401 missing_signature_headers)")
            .And.Contain("ok    challenge signed with another token refused (401 invalid_signature)")
            .And.Contain("Zoom would accept this endpoint.");
    }

    [Fact]
    public async Task A_receiver_with_another_Secret_Token_would_not_be_accepted()
    {
        using var server = CliServer.Start();
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--secret", "another-secret-token-abcdefgh", "--url", server.BaseUrl);

        result.ExitCode.Should().Be(1);
        result.Out.Should().Contain("FAIL").And.Contain("Zoom would NOT accept this endpoint");
    }

    [Fact]
    public async Task A_receiver_that_answers_unsigned_challenges_is_called_out()
    {
        // A receiver that skips the signature check: right encryptedToken, but a signing oracle.
        await using var oracle = await StartOracleAsync(ZoomWebhooks.Tests.Support.ServiceFactory.DevelopmentSecret);
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--url", oracle.Urls.Single());

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("ok    encryptedToken").And.Contain("FAIL  unsigned challenge refused (200 validated)")
            .And.Contain("Zoom would NOT accept this endpoint (2 check(s) failed)");
    }

    [Fact]
    public async Task No_receiver_is_named_with_what_to_do()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--url", "http://127.0.0.1:1");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("Could not reach http://127.0.0.1:1/webhooks/zoom");
    }

    private static async Task<WebApplication> StartOracleAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/webhooks/zoom", async (HttpRequest request) =>
        {
            using var json = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            var plainToken = json.RootElement.GetProperty("payload").GetProperty("plainToken").GetString()!;
            return Results.Ok(new { plainToken, encryptedToken = ZoomSignature.EncryptToken(secret, plainToken) });
        });
        await app.StartAsync();
        return app;
    }
}
