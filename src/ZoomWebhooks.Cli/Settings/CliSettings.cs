using Microsoft.Extensions.Configuration;

namespace ZoomWebhooks.Cli.Settings;

/// <summary>
/// The service's configuration as the service would read it, plus the command-line overrides:
/// root appsettings.json, appsettings.{host environment}.json, user secrets (Development only,
/// as ASP.NET Core does), then environment variables.
/// </summary>
public sealed record CliSettings(
    string HostEnvironment,
    string? RootDirectory,
    IReadOnlyList<string> Sources,
    IConfiguration Configuration,
    ZoomOptions Zoom,
    Uri WebhookUrl)
{
    public const string DefaultBaseUrl = "http://127.0.0.1:5080";
    private const string Development = "Development";

    public string? SecretToken => Zoom.Active?.SecretToken;

    /// <summary>The Secret Token to sign with, or null after telling <paramref name="error"/> what to do.</summary>
    public string? SigningSecret(TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(SecretToken))
        {
            error.WriteLine($"No Secret Token for the {Zoom.ActiveEnvironment} environment: run `zoomhook doctor`, or pass --secret.");
            return null;
        }

        return SecretToken;
    }

    public static CliSettings Load(CliEnvironment environment, string? activeEnvironment = null, string? secret = null, string? url = null)
    {
        // ASPNETCORE_ wins over DOTNET_ in a web host; the quick-start launch profile says Development.
        var host = environment.Variable("ASPNETCORE_ENVIRONMENT") ?? environment.Variable("DOTNET_ENVIRONMENT") ?? Development;
        var root = FindRoot(environment.WorkingDirectory);
        var sources = new List<string>();
        var builder = new ConfigurationBuilder();
        AddJson(builder, sources, root is null ? null : Path.Combine(root, "appsettings.json"));
        AddJson(builder, sources, root is null ? null : Path.Combine(root, $"appsettings.{host}.json"));
        if (string.Equals(host, Development, StringComparison.OrdinalIgnoreCase))
        {
            AddJson(builder, sources, environment.UserSecretsFile, $"user secrets ({CliEnvironment.UserSecretsId})");
        }

        var variables = EnvironmentKeys(environment.Variables);
        if (variables.Count > 0)
        {
            sources.Add($"environment variables ({variables.Count} keys)");
        }

        builder.AddInMemoryCollection(variables);
        if (activeEnvironment is not null)
        {
            builder.AddInMemoryCollection([new("Zoom:ActiveEnvironment", activeEnvironment)]);
            sources.Add("--env");
        }

        var configuration = builder.Build();
        var zoom = new ZoomOptions();
        configuration.GetSection(ZoomOptions.SectionName).Bind(zoom);
        if (secret is not null && zoom.Active is { } active)
        {
            active.SecretToken = secret;
            sources.Add("--secret");
        }

        return new CliSettings(host, root, sources, configuration, zoom, WebhookUrlFor(url ?? FirstUrl(configuration["urls"]), zoom.Webhooks.Path));
    }

    /// <summary>The folder holding ZoomWebhooks.sln or appsettings.json, walking up from <paramref name="start"/>.</summary>
    public static string? FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ZoomWebhooks.sln")) || File.Exists(Path.Combine(folder.FullName, "appsettings.json")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>A base URL gets the webhook path; a URL that already has a path is taken as it is.</summary>
    public static Uri WebhookUrlFor(string? url, string webhookPath)
    {
        var uri = new Uri(url ?? DefaultBaseUrl, UriKind.Absolute);
        return uri.AbsolutePath is "/" or "" ? new Uri(uri, webhookPath) : uri;
    }

    private static void AddJson(ConfigurationBuilder builder, List<string> sources, string? path, string? label = null)
    {
        if (path is not null && File.Exists(path))
        {
            builder.AddJsonFile(path, optional: true, reloadOnChange: false);
            sources.Add(label ?? path);
        }
    }

    // The service listens where `urls` (ASPNETCORE_URLS) says; a wildcard host is reached on loopback.
    private static string? FirstUrl(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?.Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);

    /// <summary>Environment variables as configuration keys, the way the host reads them (<c>__</c> for <c>:</c>, host prefixes stripped).</summary>
    private static Dictionary<string, string?> EnvironmentKeys(IReadOnlyDictionary<string, string> variables)
    {
        var keys = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in variables)
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            if (key.StartsWith("Zoom:", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Admin:", StringComparison.OrdinalIgnoreCase))
            {
                keys[key] = value;
            }
            else if (name.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase))
            {
                keys["urls"] = value;
            }
        }

        return keys;
    }
}
