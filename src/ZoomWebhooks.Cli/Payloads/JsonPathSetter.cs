using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZoomWebhooks.Cli.Payloads;

/// <summary>
/// Applies <c>--set path=value</c>: a dotted path (<c>payload.object.topic</c>, array items by
/// index: <c>payload.object.recording_files.0.status</c>), missing objects created on the way.
/// A value replacing a string stays a string (meeting ids are strings that look like numbers);
/// elsewhere it is read as JSON when it is JSON (<c>42</c>, <c>true</c>, <c>{"a":1}</c>), else as text.
/// </summary>
public static class JsonPathSetter
{
    public static void Apply(JsonNode root, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"--set '{assignment}' is not path=value.");
        }

        var segments = assignment[..equals].Split('.');
        var value = assignment[(equals + 1)..];
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = Child(parent, segment, assignment);
        }

        var last = segments[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = ValueFor(obj[last], value);
                break;
            case JsonArray array when TryIndex(array, last, out var index):
                array[index] = ValueFor(array[index], value);
                break;
            default:
                throw new FormatException($"--set '{assignment}': '{last}' is not a property or an index of what precedes it.");
        }
    }

    private static JsonNode Child(JsonNode parent, string segment, string assignment) => parent switch
    {
        JsonObject obj => obj[segment] ??= new JsonObject(),
        JsonArray array when TryIndex(array, segment, out var index) => array[index] ?? throw new FormatException($"--set '{assignment}': item {index} is null."),
        _ => throw new FormatException($"--set '{assignment}': cannot go into '{segment}'."),
    };

    private static bool TryIndex(JsonArray array, string segment, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < array.Count;

    private static JsonNode? ValueFor(JsonNode? existing, string text)
    {
        if (existing is JsonValue current && current.GetValueKind() == JsonValueKind.String)
        {
            return JsonValue.Create(text);
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
