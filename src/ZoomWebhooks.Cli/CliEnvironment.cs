using System.Collections;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace ZoomWebhooks.Cli;

/// <summary>
/// Everything a command takes from the outside world. The process passes its own; a test passes
/// captured writers, a temporary folder and its own variables, so runs in parallel cannot see
/// each other's settings or the developer's real secrets.
/// </summary>
public sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Error,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Variables)
{
    /// <summary>The same store as the service's <c>UserSecretsId</c>; null reads no user secrets.</summary>
    public const string UserSecretsId = "zoomwebhooks-local";

    public Func<Stream> OpenInput { get; init; } = () => Stream.Null;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? UserSecretsFile { get; init; }

    /// <summary>Colours and live progress; off for captured output.</summary>
    public bool IsTerminal { get; init; }

    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new CliEnvironment(Console.Out, Console.Error, Directory.GetCurrentDirectory(), variables)
        {
            OpenInput = Console.OpenStandardInput,
            UserSecretsFile = PathHelper.GetSecretsPathFromSecretsId(UserSecretsId),
            IsTerminal = !Console.IsOutputRedirected,
        };
    }

    public string? Variable(string name) => Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
