using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ZoomWebhooks.Tests.Support;

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
        await using var oracle = await StartReceiverAsync(checkSignature: false);
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--url", oracle.Urls.Single());

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("ok    encryptedToken").And.Contain("FAIL  unsigned challenge refused (200 validated)")
            .And.Contain("Zoom would NOT accept this endpoint (2 check(s) failed)");
    }

    [Fact]
    public async Task A_receiver_slower_than_Zoom_s_3_seconds_would_not_be_accepted()
    {
        // The receiver moves the CLI's clock on by 4 seconds while it answers: a slow answer, no waiting.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var slow = await StartReceiverAsync(checkSignature: true, whileAnswering: () => time.Advance(TimeSpan.FromSeconds(4)));
        using var cli = new CliRunner { Time = time };

        var result = await cli.RunAsync("validate", "--url", slow.Urls.Single());

        result.ExitCode.Should().Be(1, result.ToString());
        result.Out.Should().Contain("FAIL  answered in 4000 ms (Zoom allows 3000 ms): Zoom gives up after 3000 ms")
            .And.Contain("ok    encryptedToken").And.Contain("ok    unsigned challenge refused")
            .And.Contain("Zoom would NOT accept this endpoint (1 check(s) failed)");
    }

    [Fact]
    public async Task No_receiver_is_named_with_what_to_do()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("validate", "--url", "http://127.0.0.1:1");

        result.ExitCode.Should().Be(1);
        result.Error.Should().Contain("Could not reach http://127.0.0.1:1/webhooks/zoom");
    }

    /// <summary>
    /// A hand-written receiver: with <paramref name="checkSignature"/> off it answers any challenge
    /// (a signing oracle); <paramref name="whileAnswering"/> runs before each answer.
    /// </summary>
    private static async Task<WebApplication> StartReceiverAsync(bool checkSignature, Action? whileAnswering = null)
    {
        const string secret = ServiceFactory.DevelopmentSecret;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/webhooks/zoom", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var check = ZoomSignature.Verify(request.Headers[ZoomSignature.SignatureHeader], request.Headers[ZoomSignature.TimestampHeader],
                body.ToArray(), [secret], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), out _);
            if (checkSignature && check != SignatureCheck.Valid)
            {
                return Results.Unauthorized();
            }

            whileAnswering?.Invoke();
            using var json = JsonDocument.Parse(body.ToArray());
            var plainToken = json.RootElement.GetProperty("payload").GetProperty("plainToken").GetString()!;
            return Results.Ok(new { plainToken, encryptedToken = ZoomSignature.EncryptToken(secret, plainToken) });
        });
        await app.StartAsync();
        return app;
    }
}
