using System.Reflection;

namespace ZoomWebhooks.Cli.Payloads;

/// <summary>The project's samples/ folder, embedded in the tool at build time: one file per event.</summary>
public static class Samples
{
    private const string Prefix = "samples/";
    private const string Extension = ".json";

    private static readonly Assembly Assembly = typeof(Samples).Assembly;

    public static IReadOnlyList<string> Events { get; } =
    [
        .. Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
            .Select(name => name[Prefix.Length..^Extension.Length])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The sample's exact bytes, or null when there is no sample for <paramref name="eventName"/>.</summary>
    public static byte[]? Find(string eventName)
    {
        var match = Events.FirstOrDefault(e => string.Equals(e, eventName, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            return null;
        }

        using var stream = Assembly.GetManifestResourceStream(Prefix + match + Extension)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
