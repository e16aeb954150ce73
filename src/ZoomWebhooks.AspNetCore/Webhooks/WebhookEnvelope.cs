using System.Text.Json;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Webhooks;

/// <summary>
/// The few envelope fields the accept path needs: <c>{"event", "event_ts", "payload": {...}}</c>.
/// Key order varies between events and unknown fields are everywhere, so only these are read
/// and the raw body is what gets stored.
/// </summary>
/// <param name="ParticipantKey">
/// The participant's key (<see cref="ParticipantRef.Key"/>) when <c>payload.object.participant</c>
/// is there: the ordering key of a participant event.
/// </param>
internal readonly record struct WebhookEnvelope(string Event, long? EventTs, string? MeetingUuid, string? PlainToken, string? ParticipantKey = null)
{
    public const string UrlValidationEvent = "endpoint.url_validation";

    public bool IsUrlValidation => Event == UrlValidationEvent;

    public static bool TryParse(ReadOnlyMemory<byte> body, out WebhookEnvelope envelope)
    {
        envelope = default;
        // JSON is UTF-8 (RFC 8259) and the reader does not check the bytes inside strings;
        // storing invalid text would only fail later, in a handler.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("event", out var name)
                || name.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(name.GetString()))
            {
                return false;
            }

            long? eventTs = root.TryGetProperty("event_ts", out var ts) && ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms)
                ? ms
                : null;
            // The same readers as the notifications (ZoomJson, ParticipantRef): the ordering key,
            // Meeting.Uuid and the attendance key agree, a numeric uuid included.
            var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var meeting = ZoomJson.Object(payload, "object");
            var participant = ZoomJson.Object(meeting, "participant");
            envelope = new WebhookEnvelope(name.GetString()!, eventTs, ZoomJson.Text(meeting, "uuid"), PlainTokenOf(payload),
                participant.ValueKind == JsonValueKind.Object ? ParticipantRef.From(participant).Key : null);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string holding a lone surrogate escape ("\uD83D") cannot become .NET text.
            return false;
        }
    }

    // Strict on purpose: the challenge is answered with an HMAC of exactly this string.
    private static string? PlainTokenOf(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("plainToken", out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
