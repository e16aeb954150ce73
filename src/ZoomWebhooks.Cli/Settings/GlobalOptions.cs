using System.CommandLine;

namespace ZoomWebhooks.Cli.Settings;

/// <summary>The overrides every command takes, on top of what the service's configuration says.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Environment { get; } = new("--env")
    {
        Description = "Credential environment to use instead of Zoom:ActiveEnvironment (Development or Production).",
        Recursive = true,
    };

    public Option<string?> Secret { get; } = new("--secret")
    {
        Description = "Secret Token to sign with instead of the active environment's (never printed).",
        Recursive = true,
    };

    public Option<string?> Url { get; } = new("--url")
    {
        Description = "Receiver URL, e.g. http://127.0.0.1:5080 (the webhook path is added when missing) or a full URL.",
        Recursive = true,
    };

    public void AddTo(Command command)
    {
        Environment.AcceptOnlyFromAmong("Development", "Production");
        Url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string?>(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                result.AddError("--url must be an absolute http:// or https:// URL, e.g. http://127.0.0.1:5080.");
            }
        });
        command.Add(Environment);
        command.Add(Secret);
        command.Add(Url);
    }

    public CliSettings Load(ParseResult parse, CliEnvironment environment) =>
        CliSettings.Load(environment, parse.GetValue(Environment), parse.GetValue(Secret), parse.GetValue(Url));
}
