namespace ZoomWebhooks;

/// <summary>The outcome of checking a delivery's signature headers; only <see cref="Valid"/> lets it in.</summary>
public enum SignatureCheck
{
    /// <summary>The signature matches an accepted Secret Token and the timestamp is within the tolerance.</summary>
    Valid,

    /// <summary><c>x-zm-signature</c> or <c>x-zm-request-timestamp</c> is missing.</summary>
    MissingHeaders,

    /// <summary>The timestamp is not Unix seconds.</summary>
    MalformedTimestamp,

    /// <summary>The timestamp is further from now than the tolerance, either way.</summary>
    StaleTimestamp,

    /// <summary>The signature is not <c>v0=</c> and 64 hex digits.</summary>
    MalformedSignature,

    /// <summary>Well formed, but no accepted Secret Token produced it.</summary>
    Mismatch,
}
