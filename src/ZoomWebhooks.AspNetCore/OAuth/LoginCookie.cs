using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace ZoomWebhooks.OAuth;

/// <summary>What the login remembers for its callback: the state, the PKCE verifier, the environment and when.</summary>
internal sealed record LoginState(string State, string CodeVerifier, string Environment, DateTimeOffset IssuedAt)
{
    public static LoginState Create(string environment, DateTimeOffset now) =>
        new(RandomText(), RandomText(), environment, now);

    /// <summary>PKCE S256: base64url(SHA-256(verifier)). https://www.rfc-editor.org/rfc/rfc7636#section-4.2</summary>
    public string CodeChallenge => WebEncoders.Base64UrlEncode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(CodeVerifier)));

    /// <summary>Constant time: the state is the one secret an attacker's callback would have to guess.</summary>
    public bool Matches(string? state) =>
        state is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(State), System.Text.Encoding.UTF8.GetBytes(state));

    // 32 random bytes: 43 base64url characters, within PKCE's 43-128 for the verifier.
    private static string RandomText() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public override string ToString() => $"LoginState {{ Environment = {Environment}, IssuedAt = {IssuedAt:O} }}";
}

/// <summary>
/// The login state in a cookie bound to the browser: encrypted and authenticated with Data
/// Protection (neither readable nor forgeable), HttpOnly, SameSite=Lax (sent on Zoom's top-level
/// redirect back), Secure on HTTPS, sent only to the callback path, and good for ten minutes.
/// </summary>
internal sealed class LoginCookie([FromKeyedServices(OAuthEndpoints.ProtectionKey)] IDataProtectionProvider protection, TimeProvider time)
{
    public const string Name = "zoomwebhooks_oauth";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = protection.CreateProtector("ZoomWebhooks.OAuth.Login.v1");

    public void Write(HttpContext context, LoginState state, string callbackPath, bool secure) =>
        context.Response.Cookies.Append(Name, _protector.Protect(JsonSerializer.Serialize(state)), Options(context, callbackPath, secure));

    /// <summary>The state of this browser's login, or null when there is none, it was tampered with, or it is too old.</summary>
    public LoginState? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize<LoginState>(_protector.Unprotect(value));
            var age = time.GetUtcNow() - state?.IssuedAt;
            return age is { } a && a >= TimeSpan.FromMinutes(-1) && a <= Lifetime ? state : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One login, one callback: a replayed callback finds no state.</summary>
    public static void Delete(HttpContext context, string callbackPath, bool secure) =>
        context.Response.Cookies.Delete(Name, Options(context, callbackPath, secure));

    private static CookieOptions Options(HttpContext context, string callbackPath, bool secure) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        // Behind a TLS-terminating proxy the request looks like http; an https redirect URI says otherwise.
        Secure = secure || context.Request.IsHttps,
        Path = callbackPath,
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
