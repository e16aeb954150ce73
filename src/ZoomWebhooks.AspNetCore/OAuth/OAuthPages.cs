using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ZoomWebhooks.OAuth;

/// <summary>The short pages a person sees at the end of the flow; every value in them is HTML-encoded.</summary>
internal static class OAuthPages
{
    public static ContentHttpResult Success(string environment, StoredToken token) => Page(StatusCodes.Status200OK, "Zoom app authorized",
        $"The app is authorized for Zoom account {token.AccountId} (user {token.UserId}) with the {environment} credentials " +
        $"({OAuthErrors.Where(environment)}). Scopes: {(string.IsNullOrEmpty(token.Scope) ? "none named" : token.Scope)}. You can close this page.");

    public static ContentHttpResult Failure(int statusCode, string message) => Page(statusCode, "Zoom authorization failed", message);

    public static ContentHttpResult NotConfigured(string missingKeys) => Page(StatusCodes.Status503ServiceUnavailable, "OAuth not configured",
        $"OAuth is not configured: set {missingKeys} (the Zoom app's credentials and its Redirect URL for OAuth), then restart or reload.");

    /// <summary>
    /// Every answer of the login routes: the pages are text only, so the policy lets nothing load
    /// or run and no site frame them (no inline style either, so no style-src); nothing is cached,
    /// neither the redirect that sets the login cookie nor a page naming the account; the callback
    /// URL, with its code and state, is never sent on as a referrer.
    /// </summary>
    public static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return await next(context);
    }

    private static ContentHttpResult Page(int statusCode, string title, string message) => TypedResults.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: statusCode);
}
