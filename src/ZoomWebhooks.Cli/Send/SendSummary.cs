using Spectre.Console;

namespace ZoomWebhooks.Cli.Send;

/// <summary>The table after a folder or a repeat: per event, how many were accepted, duplicates or failures, and how fast.</summary>
internal static class SendSummary
{
    public static void Write(IAnsiConsole console, IReadOnlyList<SentPayload> results)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("event").AddColumn(new TableColumn("sent").RightAligned())
            .AddColumn(new TableColumn("accepted").RightAligned()).AddColumn(new TableColumn("duplicate").RightAligned())
            .AddColumn(new TableColumn("failed").RightAligned()).AddColumn(new TableColumn("median ms").RightAligned())
            .AddColumn(new TableColumn("max ms").RightAligned());
        foreach (var group in results.GroupBy(r => r.Event).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            AddRow(table, group.Key, [.. group]);
        }

        AddRow(table, "all", results);
        console.Write(table);
        var failed = results.Count(r => !r.Result.IsSuccess);
        console.MarkupLine(failed == 0
            ? $"[green]{results.Count} sent, all answered 2xx.[/]"
            : $"[red]{failed} of {results.Count} failed.[/]");
    }

    private static void AddRow(Table table, string name, IReadOnlyList<SentPayload> rows)
    {
        var latencies = rows.Select(r => r.Result.Milliseconds).Order().ToList();
        table.AddRow(
            Markup.Escape(name),
            Count(rows.Count),
            Count(rows.Count(r => r.Result.Reply == "accepted")),
            Count(rows.Count(r => r.Result.Reply == "duplicate")),
            Count(rows.Count(r => !r.Result.IsSuccess)),
            Count(latencies[latencies.Count / 2]),
            Count(latencies[^1]));
    }

    private static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
