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

    private static ContentHttpResult Page(int statusCode, string title, string message) => TypedResults.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>
        """,
        "text/html; charset=utf-8",
        statusCode: statusCode);
}
