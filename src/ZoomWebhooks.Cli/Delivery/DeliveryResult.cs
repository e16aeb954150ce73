using System.Globalization;
using ZoomWebhooks.Cli.Payloads;

namespace ZoomWebhooks.Cli.Delivery;

/// <summary>What the receiver answered to one POST, or why nothing answered.</summary>
public sealed record DeliveryResult(int? StatusCode, string Body, TimeSpan Elapsed, string? Failure)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string Status => StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "---";

    public long Milliseconds => (long)Elapsed.TotalMilliseconds;

    /// <summary>
    /// The answer in a word: the service's <c>status</c> (accepted, duplicate), a problem's
    /// <c>reason</c>, <c>validated</c> for a challenge answer, or the first characters of anything else.
    /// </summary>
    public string Reply => Failure ?? Summarize(Body);

    public string? Property(string name) => JsonText.TopLevelString(Body, name);

    private string Summarize(string body)
    {
        if (Property("status") is { } status)
        {
            return status;
        }

        if (Property("reason") is { } reason)
        {
            return reason;
        }

        if (Property("encryptedToken") is not null)
        {
            return "validated";
        }

        var flat = body.ReplaceLineEndings(" ").Trim();
        return flat.Length switch
        {
            0 => "(empty)",
            > 60 => flat[..57] + "...",
            _ => flat,
        };
    }
}
