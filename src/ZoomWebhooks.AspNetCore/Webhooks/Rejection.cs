using Microsoft.AspNetCore.Http.HttpResults;

namespace ZoomWebhooks.Webhooks;

/// <summary>
/// Every way a delivery is refused. The log carries the precise <see cref="Reason"/>; the problem
/// details body carries only the coarse <see cref="PublicReason"/>, so a caller learns what to fix
/// (clock, secret, payload) but not which byte of the signature check it failed. The metric label
/// (<see cref="MetricReason"/>) is coarser still, to keep the series few.
/// </summary>
internal sealed record Rejection(int StatusCode, string Reason, string PublicReason, string MetricReason, string Detail)
{
    public static readonly Rejection BodyTooLarge = new(StatusCodes.Status413PayloadTooLarge, "body_too_large", "body_too_large", "body_too_large",
        "The body is larger than this receiver accepts.");

    public static readonly Rejection UnsupportedMediaType = new(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
        "unsupported_media_type", "content_type", "Zoom webhooks are JSON: Content-Type must be application/json.");

    public static readonly Rejection MissingSignatureHeaders = Unauthorized("missing_signature_headers", "missing_signature_headers", "headers",
        "The x-zm-signature and x-zm-request-timestamp headers are required.");

    public static readonly Rejection MalformedTimestamp = Unauthorized("malformed_timestamp", "invalid_timestamp", "timestamp",
        "The request timestamp is not valid or is outside the accepted window.");

    public static readonly Rejection StaleTimestamp = MalformedTimestamp with { Reason = "stale_timestamp" };

    public static readonly Rejection MalformedSignature = Unauthorized("malformed_signature", "invalid_signature", "signature",
        "The request is not signed with this receiver's Zoom Secret Token.");

    public static readonly Rejection SignatureMismatch = MalformedSignature with { Reason = "signature_mismatch" };

    public static readonly Rejection ClientMismatch = Unauthorized("client_mismatch", "unexpected_client", "wrong_app",
        "The delivery comes from a Zoom app other than the one this receiver serves.");

    public static readonly Rejection MalformedEnvelope = new(StatusCodes.Status400BadRequest, "malformed_envelope", "malformed_payload", "malformed",
        "The body must be a JSON object with a string 'event'.");

    public static readonly Rejection MissingPlainToken = new(StatusCodes.Status400BadRequest, "missing_plain_token", "malformed_payload", "malformed",
        "endpoint.url_validation needs payload.plainToken.");

    public static readonly Rejection InboxUnavailable = new(StatusCodes.Status503ServiceUnavailable, "inbox_unavailable", "inbox_unavailable", "store_unavailable",
        "The event could not be stored; retry later.");

    public static Rejection For(SignatureCheck check) => check switch
    {
        SignatureCheck.MissingHeaders => MissingSignatureHeaders,
        SignatureCheck.MalformedTimestamp => MalformedTimestamp,
        SignatureCheck.StaleTimestamp => StaleTimestamp,
        SignatureCheck.MalformedSignature => MalformedSignature,
        SignatureCheck.Mismatch => SignatureMismatch,
        _ => throw new ArgumentOutOfRangeException(nameof(check), check, "Only failed checks are rejections."),
    };

    public ProblemHttpResult ToProblem() => TypedResults.Problem(
        detail: Detail,
        statusCode: StatusCode,
        extensions: new Dictionary<string, object?> { ["reason"] = PublicReason });

    private static Rejection Unauthorized(string reason, string publicReason, string metricReason, string detail) =>
        new(StatusCodes.Status401Unauthorized, reason, publicReason, metricReason, detail);
}
