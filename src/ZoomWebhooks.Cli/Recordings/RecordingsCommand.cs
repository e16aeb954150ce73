using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using ZoomWebhooks.Cli.Events;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Recordings;

/// <summary>
/// <c>zoomhook recordings list|retry</c>: the service's recording downloads (<c>/api/recordings</c>)
/// from the terminal, to see which file failed and why, and to send it through again once fixed.
/// </summary>
public static class RecordingsCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var key = AdminClient.KeyOption();
        var command = new Command("recordings", "List recording downloads and retry a failed one through the service's API.") { key };

        var status = new Option<string?>("--status") { Description = "pending, downloading, downloaded, done or failed." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List recording files with status, size, attempts and last error.") { status, limit };
        list.SetAction((parse, ct) => AdminClient.RunAsync(environment, global, key, parse, (client, error, token) =>
            ListAsync(environment, client, parse.GetValue(status), parse.GetValue(limit), error, token), ct));

        var fileId = new Argument<string>("file-id") { Description = "Zoom's recording file id (see `recordings list`)." };
        var retry = new Command("retry", "Download a failed file again (attempts reset).") { fileId };
        retry.SetAction((parse, ct) => AdminClient.RunAsync(environment, global, key, parse, async (client, error, token) =>
        {
            var id = parse.GetValue(fileId)!;
            if (await client.SendAsync(HttpMethod.Post, $"/api/recordings/{Uri.EscapeDataString(id)}/retry", error, token) is null)
            {
                return false;
            }

            await environment.Out.WriteLineAsync($"Retrying {id}.");
            return true;
        }, ct));

        command.Add(list);
        command.Add(retry);
        return command;
    }

    private static async Task<bool> ListAsync(
        CliEnvironment environment, AdminClient client, string? status, int limit, TextWriter error, CancellationToken cancellationToken)
    {
        var query = $"?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (string.IsNullOrEmpty(status) ? "" : $"&status={Uri.EscapeDataString(status)}");
        if (await client.SendAsync(HttpMethod.Get, "/api/recordings" + query, error, cancellationToken) is not { } page)
        {
            return false;
        }

        var table = new Table().AddColumns("file id", "type", "status", "size", "attempts", "last error");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var size = item.GetProperty("bytes").ValueKind == System.Text.Json.JsonValueKind.Number ? item.GetProperty("bytes") : item.GetProperty("size");
            table.AddRow(
                Markup.Escape(item.GetProperty("fileId").GetString() ?? ""),
                Markup.Escape(item.GetProperty("fileType").GetString() ?? ""),
                item.GetProperty("status").GetString() ?? "",
                size.ValueKind == System.Text.Json.JsonValueKind.Number ? size.GetInt64().ToString("N0", CultureInfo.InvariantCulture) : "",
                item.GetProperty("attempts").GetInt32().ToString(CultureInfo.InvariantCulture),
                Markup.Escape(item.GetProperty("lastError").GetString() ?? ""));
        }

        CliConsole.Create(environment).Write(table);
        return true;
    }
}
