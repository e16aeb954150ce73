namespace ZoomWebhooks.Webhooks;

/// <summary>The 200 answer to an event: <c>accepted</c> when stored now, <c>duplicate</c> when already stored.</summary>
internal sealed record WebhookAck(string Status)
{
    public static readonly WebhookAck Accepted = new(Outcomes.Accepted);
    public static readonly WebhookAck Duplicate = new(Outcomes.Duplicate);
}

/// <summary>The answer to Zoom's <c>endpoint.url_validation</c> challenge.</summary>
internal sealed record UrlValidationReply(string PlainToken, string EncryptedToken);

/// <summary>The <c>Outcome</c> values of the request-completion log line (a public contract).</summary>
internal static class Outcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Validated = "validated";
    public const string Rejected = "rejected";
}
