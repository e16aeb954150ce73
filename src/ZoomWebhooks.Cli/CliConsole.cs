using Spectre.Console;

namespace ZoomWebhooks.Cli;

/// <summary>Spectre.Console over the run's own output: colours and live progress only on a terminal.</summary>
public static class CliConsole
{
    public static IAnsiConsole Create(CliEnvironment environment)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Out),
            Ansi = environment.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = environment.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = environment.IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });

        // Captured output (a pipe, a test, the README) keeps one line per line: no wrapping at 80 columns.
        if (!environment.IsTerminal)
        {
            console.Profile.Width = 512;
        }

        return console;
    }
}
