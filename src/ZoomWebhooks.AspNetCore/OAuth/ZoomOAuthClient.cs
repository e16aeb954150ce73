using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// Zoom's token endpoint and <c>/v2/users/me</c>, over a client whose handler retries transient
/// failures (see <see cref="OAuthEndpoints"/>). Client authentication is HTTP Basic with the client id
/// and secret, as Zoom requires of confidential apps: https://developers.zoom.us/docs/integrations/oauth/
/// </summary>
internal sealed class ZoomOAuthClient(HttpClient http, IOptionsMonitor<ZoomOptions> options)
{
    /// <exception cref="ZoomOAuthException">Zoom refused the code, or did not answer.</exception>
    public Task<ZoomTokenGrant> ExchangeCodeAsync(
        ZoomEnvironmentOptions credentials, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken) =>
        TokenAsync(credentials, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = codeVerifier,
        }, cancellationToken);

    /// <summary>Zoom rotates refresh tokens: the answer's refresh token replaces the one sent.</summary>
    public Task<ZoomTokenGrant> RefreshAsync(ZoomEnvironmentOptions credentials, string refreshToken, CancellationToken cancellationToken) =>
        TokenAsync(credentials, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, cancellationToken);

    /// <summary>
    /// A Server-to-Server OAuth app's token for its own account (no user, no refresh token): what a
    /// WebSocket event subscription connects with. https://developers.zoom.us/docs/internal-apps/s2s-oauth/
    /// </summary>
    public Task<ZoomTokenGrant> AccountCredentialsAsync(ZoomEnvironmentOptions credentials, CancellationToken cancellationToken) =>
        TokenAsync(credentials, new Dictionary<string, string>
        {
            ["grant_type"] = "account_credentials",
            ["account_id"] = credentials.AccountId ?? "",
        }, cancellationToken, requireRefreshToken: false);

    /// <summary>Whose token it is: the user's id and account id.</summary>
    public async Task<ZoomUser> GetMeAsync(ZoomTokenGrant grant, CancellationToken cancellationToken)
    {
        // The token answer names the API of the account's region; the configured one is the fallback.
        var api = (string.IsNullOrWhiteSpace(grant.ApiUrl) ? options.CurrentValue.OAuth.ApiUrl : grant.ApiUrl).TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/v2/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", grant.AccessToken);
        var user = await SendAsync<ZoomUser>(request, cancellationToken);
        return string.IsNullOrEmpty(user.Id) || string.IsNullOrEmpty(user.AccountId)
            ? throw new ZoomOAuthException(null, "invalid_response", "users/me named no user id or account id")
            : user;
    }

    private async Task<ZoomTokenGrant> TokenAsync(
        ZoomEnvironmentOptions credentials, Dictionary<string, string> form, CancellationToken cancellationToken, bool requireRefreshToken = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.CurrentValue.OAuth.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ClientId}:{credentials.ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        var grant = await SendAsync<ZoomTokenGrant>(request, cancellationToken);
        return string.IsNullOrEmpty(grant.AccessToken) || (requireRefreshToken && string.IsNullOrEmpty(grant.RefreshToken))
            ? throw new ZoomOAuthException(null, "invalid_response", "the token answer held no access or refresh token")
            : grant;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ZoomOAuthException(null, ZoomOAuthException.Unavailable, ex.Message, ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken);
                throw new ZoomOAuthException((int)response.StatusCode,
                    (int)response.StatusCode >= 500 ? ZoomOAuthException.Unavailable : error?.Error ?? "http_" + (int)response.StatusCode,
                    error?.Reason ?? response.ReasonPhrase);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken) ?? throw new JsonException("null");
            }
            catch (JsonException ex)
            {
                throw new ZoomOAuthException((int)response.StatusCode, "invalid_response", "Zoom's answer was not the JSON expected", ex);
            }
        }
    }

    // Zoom's errors: {"reason":"Invalid client_id or client_secret","error":"invalid_client"}.
    private static async Task<ZoomError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ZoomError>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ZoomError([property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("reason")] string? Reason);
}

/// <summary>Zoom's token answer (both grants).</summary>
internal sealed record ZoomTokenGrant(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("api_url")] string? ApiUrl)
{
    public override string ToString() => $"ZoomTokenGrant {{ ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}

/// <summary>The two fields of <c>/v2/users/me</c> the service keeps.</summary>
internal sealed record ZoomUser([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("account_id")] string AccountId);
