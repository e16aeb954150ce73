using System.Text;
using System.Text.Json;

namespace ZoomWebhooks.Cli.Payloads;

/// <summary>Reads one top-level string of a JSON object, forgiving anything that is not one (a reply or a payload may be any bytes).</summary>
public static class JsonText
{
    public static string? TopLevelString(string json, string property) => TopLevelString(Encoding.UTF8.GetBytes(json), property);

    public static string? TopLevelString(byte[] json, string property)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty(property, out var value)
                   && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
