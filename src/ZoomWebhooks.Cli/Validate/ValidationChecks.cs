using Spectre.Console;

namespace ZoomWebhooks.Cli.Validate;

/// <summary>Prints each check as a line, <c>ok</c> or <c>FAIL</c> with what Zoom needs instead, and counts the failures.</summary>
internal sealed class ValidationChecks(IAnsiConsole console)
{
    public int Failures { get; private set; }

    public void Check(bool passed, string what, string whyItMatters)
    {
        if (passed)
        {
            console.MarkupLine($"  [green]ok[/]    {Markup.Escape(what)}");
            return;
        }

        Failures++;
        console.MarkupLine($"  [red]FAIL[/]  {Markup.Escape(what)}: {Markup.Escape(whyItMatters)}");
    }
}
