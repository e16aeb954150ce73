using System.Net;
using ZoomWebhooks.Tests.Support;
using ZoomWebhooks.Tests.Webhooks;

namespace ZoomWebhooks.Tests.Configuration;

/// <summary>Only the active environment's Secret Token (or a previous one) lets an event in.</summary>
public sealed class CredentialEnvironmentTests
{
    private static readonly Dictionary<string, string?> ProductionActive = new()
    {
        ["Zoom:ActiveEnvironment"] = "Production",
        ["Zoom:Environments:Production:PreviousSecretTokens:0"] = "Rm9ybWVyUHJvZHVjdGlvblRva2Vu",
    };

    [Fact]
    public async Task With_Development_active_an_event_signed_by_the_Production_token_is_401_and_the_cause_is_logged()
    {
        using var factory = new ServiceFactory();

        var response = await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.ProductionSecret, requestId: "req-wrong-env");

        await WebhookEndpointTests.ShouldBeProblem(response, HttpStatusCode.Unauthorized, "invalid_signature");
        factory.Logs.WithProperty("ZoomRequestId", "req-wrong-env")
            .Should().Contain(e => e.MessageTemplate.Text.Contains("signed with the {InactiveEnvironment} Secret Token", StringComparison.Ordinal)
                                   && LogCapture.Scalar(e, "InactiveEnvironment") as string == "Production");
    }

    [Fact]
    public async Task With_Production_active_the_Development_token_no_longer_verifies()
    {
        using var factory = new ServiceFactory(ProductionActive);

        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.DevelopmentSecret)).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.ProductionSecret)).StatusCode
            .Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_previous_token_of_the_active_environment_still_verifies_during_a_rotation()
    {
        using var factory = new ServiceFactory(ProductionActive);

        var response = await factory.PostSignedAsync(Payloads.UrlValidation("rotating"), secret: "Rm9ybWVyUHJvZHVjdGlvblRva2Vu");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should()
            .Contain(ZoomSignature.EncryptToken("Rm9ybWVyUHJvZHVjdGlvblRva2Vu", "rotating"),
                "the challenge is answered with the token that signed it");
    }

    [Fact]
    public async Task A_delivery_from_another_app_client_id_is_401_and_the_likely_cause_is_logged()
    {
        using var factory = new ServiceFactory(ProductionActive);

        var response = await factory.PostSignedAsync(
            Payloads.MeetingStarted(),
            secret: ServiceFactory.ProductionSecret,
            requestId: "req-other-app",
            headers: new Dictionary<string, string> { ["clientid"] = "DevAppClientId999" });

        await WebhookEndpointTests.ShouldBeProblem(response, HttpStatusCode.Unauthorized, "unexpected_client");
        (await InboxRows.ReadAsync(factory.DatabasePath)).Should().BeEmpty();
        var warning = factory.Logs.WithProperty("ZoomRequestId", "req-other-app")
            .Should().ContainSingle(e => e.Properties.ContainsKey("ReceivedClientId")).Subject;
        LogCapture.Scalar(warning, "ReceivedClientId").Should().Be("DevAppClientId999");
        LogCapture.Scalar(warning, "ExpectedClientId").Should().Be(ServiceFactory.ProductionClientId);
        warning.RenderMessage().Should().Contain("other environment's app");
    }

    [Fact]
    public async Task The_matching_client_id_or_no_client_id_header_is_accepted()
    {
        using var factory = new ServiceFactory(ProductionActive);

        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.ProductionSecret,
            headers: new Dictionary<string, string> { ["clientid"] = ServiceFactory.ProductionClientId })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.PostSignedAsync(Payloads.MeetingStarted(), secret: ServiceFactory.ProductionSecret)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
