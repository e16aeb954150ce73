using System.CommandLine;
using ZoomWebhooks.Cli.Doctor;
using ZoomWebhooks.Cli.Events;
using ZoomWebhooks.Cli.FakeZoom;
using ZoomWebhooks.Cli.New;
using ZoomWebhooks.Cli.Recordings;
using ZoomWebhooks.Cli.Send;
using ZoomWebhooks.Cli.Settings;
using ZoomWebhooks.Cli.Sign;
using ZoomWebhooks.Cli.Validate;

namespace ZoomWebhooks.Cli;

/// <summary>The <c>zoomhook</c> command tree, built per run so that a test can give it its own environment.</summary>
public static class CliApp
{
    public static RootCommand Create(CliEnvironment environment)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("zoomhook: sign, send and replay Zoom webhook payloads, rehearse Zoom's URL validation, check the configuration.");
        global.AddTo(root);
        root.Add(SendCommand.Create(environment, global));
        root.Add(NewCommand.Create(environment));
        root.Add(SignCommand.Create(environment, global));
        root.Add(ValidateCommand.Create(environment, global));
        root.Add(DoctorCommand.Create(environment, global));
        root.Add(EventsCommand.Create(environment, global));
        root.Add(RecordingsCommand.Create(environment, global));
        root.Add(FakeZoomCommand.Create(environment));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; the exit code is 0 only on success.</summary>
    public static Task<int> InvokeAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration { Output = environment.Out, Error = environment.Error };
        return Create(environment).Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
