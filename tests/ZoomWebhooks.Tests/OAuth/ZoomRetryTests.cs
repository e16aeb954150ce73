using System.Net;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>The outgoing client's resilience: transient failures are retried, a 4xx never is.</summary>
public sealed class ZoomRetryTests
{
    [Fact]
    public async Task Transient_5xx_answers_of_the_token_endpoint_are_retried()
    {
        await using var host = await OAuthHost.StartAsync();
        host.Zoom.FailNext(2, HttpStatusCode.ServiceUnavailable);

        var (status, page) = await host.AuthorizeAsync();

        status.Should().Be(HttpStatusCode.OK, page);
        host.Zoom.TokenCalls.Should().Be(3);
    }

    [Fact]
    public async Task A_4xx_answer_is_not_retried()
    {
        await using var host = await OAuthHost.StartAsync();
        host.Zoom.FailNext(1, HttpStatusCode.TooManyRequests, "rate_limited");

        var (status, page) = await host.AuthorizeAsync();

        status.Should().Be(HttpStatusCode.BadGateway);
        page.Should().Contain("rate_limited");
        host.Zoom.TokenCalls.Should().Be(1);
    }

    [Fact]
    public async Task When_Zoom_keeps_failing_the_page_says_to_try_again_later()
    {
        await using var host = await OAuthHost.StartAsync(new Dictionary<string, string?> { ["Zoom:OAuth:Retries"] = "2" });
        host.Zoom.FailNext(5, HttpStatusCode.InternalServerError);

        var (status, page) = await host.AuthorizeAsync();

        status.Should().Be(HttpStatusCode.BadGateway);
        page.Should().Contain("did not answer usefully (HTTP 500)");
        host.Zoom.TokenCalls.Should().Be(3);
    }
}
