using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Zoom's authorization server and <c>/v2/users/me</c> as a real HTTP server on 127.0.0.1, checking
/// what Zoom checks: the client id and secret (HTTP Basic), the registered redirect URI, the code
/// (once, by the app it was issued to), PKCE S256, and rotating refresh tokens. Its authorize
/// endpoint consents at once, as a user clicking Allow, so a test walks the flow without a browser.
/// </summary>
public sealed class FakeZoomOAuth : IAsyncDisposable
{
    public const string AccountId = "acct-oauth-1";
    public const string UserId = "user-oauth-1";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, App> _apps = new();
    private readonly ConcurrentDictionary<string, Code> _codes = new();
    private readonly ConcurrentDictionary<string, Grant> _refreshTokens = new();
    private readonly ConcurrentDictionary<string, Grant> _accessTokens = new();
    private readonly ConcurrentQueue<(int Status, string Error, string Reason)> _failures = new();
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentDictionary<string, string> _serverApps = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accountTokens = new();
    private int _tokenCalls;
    private int _accountGrants;
    private int _refreshes;

    private FakeZoomOAuth(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string AuthorizeUrl => BaseUrl + "/oauth/authorize";

    public string TokenUrl => BaseUrl + "/oauth/token";

    /// <summary>Requests to the token endpoint, failed ones included.</summary>
    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    /// <summary>Refresh grants answered with new tokens.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Server-to-Server tokens issued (<c>grant_type=account_credentials</c>).</summary>
    public int AccountGrants => Volatile.Read(ref _accountGrants);

    /// <summary>The <c>expires_in</c> of the Server-to-Server tokens it issues.</summary>
    public TimeSpan AccountTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every token the server issued, for tests that make sure none was logged.</summary>
    public IReadOnlyCollection<string> Issued => [.. _issued];

    /// <summary>While set, a refresh request waits for it; <see cref="RefreshArrived"/> says one is waiting.</summary>
    public TaskCompletionSource? HoldRefresh { get; set; }

    public TaskCompletionSource RefreshArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The user the next consent is given as.</summary>
    public (string AccountId, string UserId) NextUser { get; set; } = (AccountId, UserId);

    public static async Task<FakeZoomOAuth> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var fake = new FakeZoomOAuth(builder.Build());
        fake._app.MapGet("/oauth/authorize", fake.Authorize);
        fake._app.MapPost("/oauth/token", fake.TokenAsync);
        fake._app.MapGet("/v2/users/me", fake.Me);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>An app (one environment's credentials) and its Redirect URL for OAuth.</summary>
    public void RegisterApp(string clientId, string clientSecret, string redirectUri) => _apps[clientId] = new App(clientSecret, redirectUri);

    /// <summary>A Server-to-Server OAuth app: its credentials get tokens for <paramref name="accountId"/> only.</summary>
    public void RegisterServerApp(string clientId, string clientSecret, string accountId)
    {
        _apps[clientId] = new App(clientSecret, RedirectUri: "");
        _serverApps[clientId] = accountId;
    }

    /// <summary>Whether a Server-to-Server token was issued here and has neither expired nor been expired by <see cref="ExpireAccountTokens"/>.</summary>
    public bool IsValidAccountToken(string token) => _accountTokens.TryGetValue(token, out var expires) && DateTimeOffset.UtcNow < expires;

    /// <summary>Every Server-to-Server token issued so far is expired from now on, though the client was told it lasts longer.</summary>
    public void ExpireAccountTokens()
    {
        foreach (var token in _accountTokens.Keys)
        {
            _accountTokens[token] = DateTimeOffset.MinValue;
        }
    }

    /// <summary>The next <paramref name="count"/> token requests fail with this status and error.</summary>
    public void FailNext(int count, HttpStatusCode status, string error = "server_error", string reason = "Failure on demand")
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(((int)status, error, reason));
        }
    }

    /// <summary>Makes every stored refresh token invalid, as a user revoking the app in Zoom would.</summary>
    public void RevokeAll() => _refreshTokens.Clear();

    /// <summary>What a browser at Zoom's consent page does after Allow: the redirect back, with a code.</summary>
    public async Task<Uri> ConsentAsync(Uri authorizeUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizeUrl);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Authorize(string? response_type, string? client_id, string? redirect_uri, string? state, string? code_challenge, string? code_challenge_method)
    {
        if (response_type != "code" || client_id is null || !_apps.TryGetValue(client_id, out var app))
        {
            return Results.BadRequest("Invalid client_id or response_type");
        }

        if (redirect_uri != app.RedirectUri)
        {
            return Results.BadRequest("Redirect URI mismatch");
        }

        if (code_challenge_method != "S256" || string.IsNullOrEmpty(code_challenge))
        {
            return Results.BadRequest("PKCE S256 expected");
        }

        var code = "code-" + Guid.NewGuid().ToString("N");
        _issued.Enqueue(code);
        _codes[code] = new Code(client_id, redirect_uri, code_challenge, NextUser.AccountId, NextUser.UserId);
        return Results.Redirect(QueryHelpers.AddQueryString(redirect_uri, new Dictionary<string, string?> { ["code"] = code, ["state"] = state }));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenCalls);
        if (_failures.TryDequeue(out var failure))
        {
            return Error(failure.Status, failure.Error, failure.Reason);
        }

        if (ClientOf(request) is not { } clientId)
        {
            return Error(401, "invalid_client", "Invalid client_id or client_secret");
        }

        var form = await request.ReadFormAsync();
        return form["grant_type"].ToString() switch
        {
            "authorization_code" => ExchangeCode(clientId, form),
            "refresh_token" => await RefreshAsync(clientId, form["refresh_token"].ToString()),
            "account_credentials" => AccountCredentials(clientId, form["account_id"].ToString()),
            _ => Error(400, "unsupported_grant_type", "Unsupported grant type"),
        };
    }

    private IResult ExchangeCode(string clientId, IFormCollection form)
    {
        if (!_codes.TryRemove(form["code"].ToString(), out var code) || code.ClientId != clientId)
        {
            return Error(400, "invalid_grant", "Invalid authorization code");
        }

        if (form["redirect_uri"].ToString() != code.RedirectUri)
        {
            return Error(400, "invalid_request", "Redirect URI mismatch.");
        }

        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
        return challenge != code.Challenge
            ? Error(400, "invalid_grant", "Invalid code_verifier")
            : Issue(new Grant(clientId, code.AccountId, code.UserId));
    }

    private async Task<IResult> RefreshAsync(string clientId, string refreshToken)
    {
        if (HoldRefresh is { } hold)
        {
            RefreshArrived.TrySetResult();
            await hold.Task;
        }

        // Rotation: a refresh token is spent by its use; a second use is refused.
        if (!_refreshTokens.TryRemove(refreshToken, out var grant) || grant.ClientId != clientId)
        {
            return Error(400, "invalid_grant", "Invalid Token!");
        }

        Interlocked.Increment(ref _refreshes);
        return Issue(grant);
    }

    // https://developers.zoom.us/docs/internal-apps/s2s-oauth/: an access token only, no refresh token.
    private IResult AccountCredentials(string clientId, string accountId)
    {
        if (!_serverApps.TryGetValue(clientId, out var account) || account != accountId)
        {
            return Error(400, "invalid_request", "Invalid account_id");
        }

        var access = "s2s-" + Guid.NewGuid().ToString("N");
        _issued.Enqueue(access);
        _accountTokens[access] = DateTimeOffset.UtcNow + AccountTokenLifetime;
        Interlocked.Increment(ref _accountGrants);
        return Results.Json(new { access_token = access, token_type = "bearer", expires_in = (int)AccountTokenLifetime.TotalSeconds, scope = "meeting:read:admin", api_url = BaseUrl });
    }

    private IResult Issue(Grant grant)
    {
        var access = "at-" + Guid.NewGuid().ToString("N");
        var refresh = "rt-" + Guid.NewGuid().ToString("N");
        _issued.Enqueue(access);
        _issued.Enqueue(refresh);
        _accessTokens[access] = grant;
        _refreshTokens[refresh] = grant;
        return Results.Json(new
        {
            access_token = access,
            token_type = "bearer",
            refresh_token = refresh,
            expires_in = 3600,
            scope = "user:read:user meeting:read:meeting",
            api_url = BaseUrl,
        });
    }

    private IResult Me(HttpRequest request)
    {
        var bearer = request.Headers.Authorization.ToString();
        return bearer.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.TryGetValue(bearer["Bearer ".Length..], out var grant)
            ? Results.Json(new { id = grant.UserId, account_id = grant.AccountId, type = 1 })
            : Results.Json(new { code = 124, message = "Invalid access token." }, statusCode: 401);
    }

    private string? ClientOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])).Split(':', 2);
        return pair.Length == 2 && _apps.TryGetValue(pair[0], out var app) && app.Secret == pair[1] ? pair[0] : null;
    }

    private static IResult Error(int status, string error, string reason) => Results.Json(new { reason, error }, statusCode: status);

    private sealed record App(string Secret, string RedirectUri);

    private sealed record Code(string ClientId, string RedirectUri, string Challenge, string AccountId, string UserId);

    private sealed record Grant(string ClientId, string AccountId, string UserId);
}
