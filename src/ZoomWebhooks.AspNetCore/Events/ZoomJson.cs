using System.Globalization;
using System.Text.Json;

namespace ZoomWebhooks.Events;

/// <summary>
/// Lenient readers for Zoom payloads: a missing or empty field is null, never an error, and an
/// <c>id</c> may be a string in one event and a number in another.
/// </summary>
internal static class ZoomJson
{
    public static JsonElement Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object
            ? child
            : default;

    public static string? Text(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => StringOrRaw(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    // A lone surrogate escape ("\uD83D") has no .NET string; keep the JSON text rather than fail the event.
    private static string StringOrRaw(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText().Trim('"');
        }
    }

    /// <summary>
    /// Key-value pairs as Zoom writes them: an array of <c>{"key": ..., "value": ...}</c>, or an
    /// object of text values. Entries without a key are skipped; anything else is no pairs.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Pairs(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (Text(item, "key") is { } key)
                {
                    pairs.Add(new(key, Text(item, "value") ?? ""));
                }
            }
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.Name.Length > 0 && Text(value, property.Name) is { } text)
                {
                    pairs.Add(new(property.Name, text));
                }
            }
        }

        return pairs;
    }

    public static DateTimeOffset? Time(JsonElement parent, string name) =>
        DateTimeOffset.TryParse(Text(parent, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
