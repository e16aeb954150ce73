using System.Text.Json.Serialization;

namespace ZoomWebhooks.Webhooks;

/// <summary>The 200 answer to an event: <c>accepted</c> when stored now, <c>duplicate</c> when already stored.</summary>
// Names fixed here: Zoom and scripts read them, whatever JSON naming policy the app has chosen.
internal sealed record WebhookAck([property: JsonPropertyName("status")] string Status)
{
    public static readonly WebhookAck Accepted = new(Outcomes.Accepted);
    public static readonly WebhookAck Duplicate = new(Outcomes.Duplicate);
}

/// <summary>The answer to Zoom's <c>endpoint.url_validation</c> challenge.</summary>
internal sealed record UrlValidationReply(
    [property: JsonPropertyName("plainToken")] string PlainToken,
    [property: JsonPropertyName("encryptedToken")] string EncryptedToken);

/// <summary>The <c>Outcome</c> values of the request-completion log line (a public contract).</summary>
internal static class Outcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Validated = "validated";
    public const string Rejected = "rejected";
}
