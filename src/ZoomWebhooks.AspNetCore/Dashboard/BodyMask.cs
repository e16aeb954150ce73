using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// An event's raw body, pretty-printed for a person, with what must not reach a screen masked:
/// <c>download_token</c> and other tokens (a recording's token downloads it), every password or
/// passcode field (Zoom sends a meeting's passcode in several fields, <c>password</c>,
/// <c>h323_password</c>, <c>pstn_password</c>, <c>encrypted_password</c>), and, unless
/// <c>Meetings:StoreEmails</c> is on, every email address, in an email field or anywhere in a value.
/// The stored body is untouched; only this view masks.
/// </summary>
internal static partial class BodyMask
{
    public const string Masked = "••••••";

    private static readonly JsonWriterOptions Pretty = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(ReadOnlySpan<byte> body, bool showEmails)
    {
        var output = new ArrayBufferWriter<byte>(body.Length * 2);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            using (var writer = new Utf8JsonWriter(output, Pretty))
            {
                // The field a value belongs to: its property, or, inside an array, the array's property.
                var arrays = new Stack<string?>();
                string? property = null;
                while (reader.Read())
                {
                    var field = property ?? (arrays.Count > 0 ? arrays.Peek() : null);
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.PropertyName:
                            property = reader.GetString();
                            writer.WritePropertyName(property!);
                            continue;
                        case JsonTokenType.StartObject: writer.WriteStartObject(); arrays.Push(null); break;
                        case JsonTokenType.EndObject: writer.WriteEndObject(); arrays.Pop(); break;
                        case JsonTokenType.StartArray: writer.WriteStartArray(); arrays.Push(field); break;
                        case JsonTokenType.EndArray: writer.WriteEndArray(); arrays.Pop(); break;
                        case JsonTokenType.String: writer.WriteRawValue(Quote(Value(field, reader.GetString()!, showEmails)), skipInputValidation: true); break;
                        case JsonTokenType.Number when IsSecret(field): writer.WriteStringValue(Masked); break;
                        case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                        case JsonTokenType.True or JsonTokenType.False: writer.WriteBooleanValue(reader.GetBoolean()); break;
                        case JsonTokenType.Null: writer.WriteNullValue(); break;
                    }

                    property = null;
                }
            }

            return Encoding.UTF8.GetString(output.WrittenSpan);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or JSON whose strings are not text (a lone surrogate escape, invalid UTF-8).
            return $"(not JSON: {body.Length} bytes, not shown)";
        }
    }

    private static string Value(string? property, string value, bool showEmails)
    {
        if (IsSecret(property) || (!showEmails && property is not null && property.Contains("email", StringComparison.OrdinalIgnoreCase)))
        {
            return Masked;
        }

        // A join or share URL carries the meeting's passcode as its pwd parameter.
        value = Passcode().Replace(value, "${name}" + Masked);
        return showEmails ? value : Email().Replace(value, Masked + "@" + Masked);
    }

    // The writer's encoders escape every character outside the BMP (an emoji becomes \uD83D\uDE80);
    // a person reads the text, so only what JSON requires is escaped. The page HTML-encodes it all.
    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    private static bool IsSecret(string? property) =>
        property is not null
        && (property.Contains("token", StringComparison.OrdinalIgnoreCase)
            || property.Contains("password", StringComparison.OrdinalIgnoreCase)
            || property.Contains("passcode", StringComparison.OrdinalIgnoreCase)
            || property.Contains("secret", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"(?<name>[?&](?:pwd|passcode|password|tk)=)[^&#\s""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Passcode();

    [GeneratedRegex(@"[^\s@""'<>,;:]+@[^\s@""'<>,;:]+\.[^\s@""'<>,;:]+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
