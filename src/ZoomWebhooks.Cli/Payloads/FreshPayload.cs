using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZoomWebhooks.Cli.Payloads;

/// <summary>
/// Makes a payload new again: a fresh meeting UUID and number (everywhere the old ones appear),
/// a fresh participant UUID and plainToken, <c>event_ts</c> = now, and every ISO time shifted so
/// the latest is now (durations survive). The service deduplicates on the body's hash, so
/// without this a replay of the same file is answered <c>duplicate</c>.
/// </summary>
public static class FreshPayload
{
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ssZ";

    // Relaxed escaping keeps '+', '/' and accented text raw, as Zoom sends them; emoji come out
    // as \uD83D-style escapes, which Zoom's own bodies also mix in.
    private static readonly JsonSerializerOptions Output = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static byte[] Refresh(ReadOnlySpan<byte> body, DateTimeOffset now) =>
        Serialize(Refresh(JsonNode.Parse(body) ?? throw new JsonException("The payload is empty."), now));

    public static JsonNode Refresh(JsonNode root, DateTimeOffset now)
    {
        var replacements = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var meeting = root["payload"]?["object"] as JsonObject;
        if (meeting?["uuid"] is JsonValue uuid && uuid.GetValueKind() == JsonValueKind.String)
        {
            replacements[uuid.GetValue<string>()] = NewMeetingUuid();
        }

        if (meeting?["id"] is JsonValue id)
        {
            // Meeting numbers are 10 or 11 digits; a number stays a number (recording events) and a string a string.
            var number = RandomNumberGenerator.GetInt32(1, 10).ToString(CultureInfo.InvariantCulture) + RandomNumberGenerator.GetString("0123456789", 10);
            replacements[id.ToString()] = number;
            meeting["id"] = id.GetValueKind() == JsonValueKind.Number ? long.Parse(number, CultureInfo.InvariantCulture) : number;
        }

        if (meeting?["participant"] is JsonObject participant && participant["participant_uuid"] is not null)
        {
            participant["participant_uuid"] = Guid.NewGuid().ToString().ToUpperInvariant();
        }

        if (root["payload"] is JsonObject payload && payload["plainToken"] is not null)
        {
            payload["plainToken"] = RandomToken();
        }

        var times = Strings(root).Where(s => TryTime(s.Text, out _)).ToList();
        var shift = times.Count == 0 ? TimeSpan.Zero : now - times.Max(s => ParseTime(s.Text));
        foreach (var (value, text) in times)
        {
            value.ReplaceWith((ParseTime(text) + shift).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        }

        foreach (var (value, text) in Strings(root).Where(s => replacements.ContainsKey(s.Text)).ToList())
        {
            value.ReplaceWith(replacements[text].DeepClone());
        }

        root["event_ts"] = now.ToUnixTimeMilliseconds();
        return root;
    }

    public static byte[] Serialize(JsonNode root) => JsonSerializer.SerializeToUtf8Bytes(root, Output);

    /// <summary>A Zoom-style meeting UUID: base64 of 16 random bytes, with a '+' or '/' so a replay exercises raw-byte signing.</summary>
    public static string NewMeetingUuid()
    {
        string uuid;
        var tries = 0;
        do
        {
            uuid = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        }
        while (!uuid.AsSpan().ContainsAny('+', '/') && ++tries < 64);

        return uuid;
    }

    /// <summary>22 URL-safe characters, the shape of Zoom's plainTokens and Secret Tokens.</summary>
    public static string RandomToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static IEnumerable<(JsonValue Value, string Text)> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [(value, value.GetValue<string>())],
        _ => [],
    };

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static DateTimeOffset ParseTime(string text) => TryTime(text, out var time) ? time : default;
}
