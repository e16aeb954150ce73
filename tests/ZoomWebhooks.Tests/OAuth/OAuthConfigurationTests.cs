using ZoomWebhooks.Configuration;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>The start-up checks of the OAuth settings: optional, but usable when set, and HTTPS for Production.</summary>
public sealed class OAuthConfigurationTests
{
    [Fact]
    public void No_OAuth_settings_at_all_is_valid()
    {
        Validate(new ZoomOptions { Environments = { Development = { SecretToken = "x" } } }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Production", "http://hooks.example.com/zoom/login/callback", "a production redirect must be https://")]
    [InlineData("Development", "/zoom/login/callback", "must be the absolute URL")]
    public void A_redirect_uri_that_cannot_work_is_refused_with_its_key(string environment, string redirectUri, string expected)
    {
        var zoom = new ZoomOptions { Environments = { Development = { SecretToken = "x" } } };
        zoom.Find(environment)!.RedirectUri = redirectUri;

        Validate(zoom).Should().ContainSingle().Which.Should().Contain($"Zoom:Environments:{environment}:RedirectUri").And.Contain(expected);
    }

    [Fact]
    public void OAuth_urls_must_be_absolute_and_the_callback_a_path()
    {
        var zoom = new ZoomOptions { Environments = { Development = { SecretToken = "x" } } };
        zoom.OAuth.TokenUrl = "zoom.us/oauth/token";
        zoom.OAuth.CallbackPath = "callback";

        Validate(zoom).Should().HaveCount(2).And.Contain(f => f.Contains("Zoom:OAuth:TokenUrl")).And.Contain(f => f.Contains("Zoom:OAuth:CallbackPath"));
    }

    private static IEnumerable<string> Validate(ZoomOptions zoom) => new ZoomOptionsValidator().Validate(null, zoom).Failures ?? [];
}
