namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>`--name value` pairs, enough for a tool only bench/run.sh calls.</summary>
internal static class Args
{
    public static string Get(string[] args, string name, string? fallback = null)
    {
        var at = Array.IndexOf(args, "--" + name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1]
            : fallback ?? throw new ArgumentException($"--{name} is required.");
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(Get(args, name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
}
