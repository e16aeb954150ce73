namespace ZoomWebhooks.Cli.Settings;

/// <summary>Shows that a secret is there and which one it is, without showing it.</summary>
public static class Mask
{
    // Four characters of a 22-character Secret Token leave 18 unknown; of a short value they
    // would give too much away, so short values show only their length.
    private const int ShownCharacters = 4;
    private const int ShortestShown = 16;

    public static string Secret(string? value) => value switch
    {
        null or "" => "(not set)",
        { Length: < ShortestShown } => $"**** ({value.Length} chars)",
        _ => $"{value[..ShownCharacters]}**** ({value.Length} chars)",
    };
}
