using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>
/// The service with <c>Zoom:OAuth</c> pointed at a <see cref="FakeZoomOAuth"/> that knows both of
/// the app's credential sets, and a cookie-keeping client that, like a browser, does not follow
/// redirects on its own, so each hop of the flow can be checked. The browser talks HTTPS, so the
/// cookie of a Production login (Secure, as its redirect URI is https) comes back as in real life.
/// </summary>
public sealed class OAuthHost : IAsyncDisposable
{
    public const string DevClientId = "DevClientIdAbc123";
    public const string DevClientSecret = "DevClientSecretXyz789";
    public const string ProdClientId = ServiceFactory.ProductionClientId;
    public const string ProdClientSecret = "ProdClientSecretQrs456";
    public const string DevRedirect = "http://localhost/zoom/login/callback";
    public const string ProdRedirect = "https://localhost/zoom/login/callback";

    private readonly bool _ownsZoom;

    private OAuthHost(FakeZoomOAuth zoom, ServiceFactory factory, bool ownsZoom)
    {
        Zoom = zoom;
        Factory = factory;
        _ownsZoom = ownsZoom;
        Browser = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        });
    }

    public FakeZoomOAuth Zoom { get; }

    public ServiceFactory Factory { get; }

    public HttpClient Browser { get; }

    public IZoomTokens Tokens => Factory.Services.GetRequiredService<IZoomTokens>();

    /// <summary>A host with a fake Zoom of its own, or one it shares with another host (<paramref name="zoom"/>).</summary>
    public static async Task<OAuthHost> StartAsync(IDictionary<string, string?>? settings = null, FakeZoomOAuth? zoom = null, TimeProvider? time = null)
    {
        var ownsZoom = zoom is null;
        zoom ??= await FakeZoomOAuth.StartAsync();
        zoom.RegisterApp(DevClientId, DevClientSecret, DevRedirect);
        zoom.RegisterApp(ProdClientId, ProdClientSecret, ProdRedirect);
        var all = new Dictionary<string, string?>
        {
            ["Zoom:Environments:Development:ClientId"] = DevClientId,
            ["Zoom:Environments:Development:ClientSecret"] = DevClientSecret,
            ["Zoom:Environments:Development:RedirectUri"] = DevRedirect,
            ["Zoom:Environments:Production:ClientSecret"] = ProdClientSecret,
            ["Zoom:Environments:Production:RedirectUri"] = ProdRedirect,
            ["Zoom:OAuth:AuthorizeUrl"] = zoom.AuthorizeUrl,
            ["Zoom:OAuth:TokenUrl"] = zoom.TokenUrl,
            ["Zoom:OAuth:ApiUrl"] = zoom.BaseUrl,
            ["Zoom:OAuth:RetryDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new OAuthHost(zoom, new ServiceFactory(all, time), ownsZoom);
    }

    /// <summary>GET /zoom/login: the redirect to Zoom's consent page.</summary>
    public async Task<Uri> LoginAsync()
    {
        using var response = await Browser.GetAsync("/zoom/login");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    /// <summary>Zoom's redirect back, followed by the browser: the callback's page.</summary>
    public async Task<(HttpStatusCode Status, string Page)> CallbackAsync(Uri redirectBack)
    {
        using var response = await Browser.GetAsync(redirectBack.PathAndQuery);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Login, consent, callback: the whole flow a person does in a browser.</summary>
    public async Task<(HttpStatusCode Status, string Page)> AuthorizeAsync() => await CallbackAsync(await Zoom.ConsentAsync(await LoginAsync()));

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        Factory.Dispose();
        if (_ownsZoom)
        {
            await Zoom.DisposeAsync();
        }
    }
}
