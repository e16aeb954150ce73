using System.CommandLine;
using Spectre.Console;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Doctor;

/// <summary><c>zoomhook doctor</c>: the configuration's mistakes, one line each with what to do; exit 1 on any error.</summary>
public static class DoctorCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var command = new Command("doctor", "Check the configuration for the mistakes Zoom's documentation warns about (values shown masked).");
        command.SetAction(parse => Run(environment, global.Load(parse, environment)));
        return command;
    }

    private static int Run(CliEnvironment environment, CliSettings settings)
    {
        var console = CliConsole.Create(environment);
        console.WriteLine($"Host environment {settings.HostEnvironment}, credential environment {settings.Zoom.ActiveEnvironment}");
        console.WriteLine(settings.Sources.Count == 0
            ? "Configuration: none found (no appsettings.json here or above, no user secrets, no Zoom__ variables)"
            : $"Configuration: {string.Join(", ", settings.Sources.Select(s => Relative(s, environment.WorkingDirectory)))}");

        var findings = DoctorChecks.Run(settings);
        foreach (var finding in findings)
        {
            var (label, colour) = finding.Severity switch
            {
                Severity.Ok => ("ok   ", "green"),
                Severity.Warning => ("warn ", "yellow"),
                _ => ("error", "red"),
            };
            var fix = finding.Fix is null ? "" : $"\n         -> {Markup.Escape(finding.Fix)}";
            console.MarkupLine($"  [{colour}]{label}[/]  {Markup.Escape(finding.Message)}{fix}");
        }

        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        console.MarkupLine(errors == 0
            ? $"[green]No errors[/] ({warnings} warning(s))."
            : $"[red]{errors} error(s)[/], {warnings} warning(s): fix them before trusting this configuration.");
        return errors == 0 ? 0 : 1;
    }

    private static string Relative(string source, string workingDirectory) =>
        Path.IsPathRooted(source) ? Path.GetRelativePath(workingDirectory, source) : source;
}
