using System.Net;
using System.Text.RegularExpressions;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>
/// A browser's side of the dashboard over HTTP: a cookie jar, no automatic redirects, and the
/// antiforgery token read from the page it last loaded, as a form would post it.
/// </summary>
internal sealed partial class DashboardClient(HttpClient http)
{
    public const string Key = "admin-key-Dash-long-enough-for-tests-0016";

    public HttpClient Http { get; } = http;

    public static DashboardClient For(ServiceFactory factory, string baseAddress = "http://localhost") =>
        new(factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(baseAddress),
        }));

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<string> PageAsync(string path)
    {
        var response = await GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {path} answers the page");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a form from <paramref name="page"/> (a path whose HTML holds the token), with the token unless told not to.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IDictionary<string, string>? fields = null, bool withToken = true)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>());
        if (withToken)
        {
            var token = Token().Match(html);
            token.Success.Should().BeTrue($"{page} renders an antiforgery token");
            form[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
        }

        return await Http.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    public async Task<HttpResponseMessage> LogInAsync(string key = Key) =>
        await PostFormAsync("/dashboard/login", "/dashboard/login", new Dictionary<string, string> { ["key"] = key });

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)" />""")]
    private static partial Regex Token();
}
