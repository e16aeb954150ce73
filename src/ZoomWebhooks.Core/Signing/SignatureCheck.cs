namespace ZoomWebhooks.Signing;

/// <summary>The outcome of checking a delivery's signature headers; only <see cref="Valid"/> lets it in.</summary>
public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    MalformedTimestamp,
    StaleTimestamp,
    MalformedSignature,
    Mismatch,
}
