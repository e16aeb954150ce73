using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// The dashboard's session: a cookie holding when it was issued and a fingerprint of the admin key,
/// encrypted and authenticated with Data Protection (neither readable nor forgeable). HttpOnly,
/// SameSite=Strict (no other site's page can send it, on top of antiforgery), Secure on HTTPS, only
/// for <c>/dashboard</c>, and good for <see cref="Lifetime"/>. Changing <c>Admin:ApiKey</c> ends
/// every session. The app's own Data Protection (the one antiforgery uses): receivers behind one
/// address share its key ring the usual way (<c>AddDataProtection().PersistKeysTo...</c>).
/// </summary>
internal sealed class DashboardSession(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CookieName = "zoomwebhooks_dashboard";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly IDataProtector _protector = protection.CreateProtector("ZoomWebhooks.Dashboard.Session.v1");

    public void SignIn(HttpContext http, string key) =>
        http.Response.Cookies.Append(CookieName,
            _protector.Protect(time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "|" + Fingerprint(key)),
            Options(http));

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http));

    public bool IsSignedIn(HttpContext http, string key)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(value).Split('|');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
            {
                return false;
            }

            var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issued);
            return age >= TimeSpan.FromMinutes(-1) && age <= Lifetime
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(Fingerprint(key)));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // Not the key: a hash, so the cookie's plaintext (were the ring ever read) does not hold it either.
    private static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("dashboard:" + key)), 0, 16);

    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = DashboardEndpoints.Prefix,
        MaxAge = Lifetime,
        IsEssential = true,
    };
}
