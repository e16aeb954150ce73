using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Events;

/// <summary>
/// <c>zoomhook events list|show|replay</c>: the service's admin API from the terminal, to see what
/// failed and why and to send it through again once the cause is fixed.
/// </summary>
public static class EventsCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions global)
    {
        var key = AdminClient.KeyOption();
        var command = new Command("events", "List, show and replay stored events through the service's admin API.") { key };

        var status = new Option<string?>("--status") { Description = "pending, processing, done or dead." };
        var eventName = new Option<string?>("--event") { Description = "Only this Zoom event name." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "List stored events, newest first (no bodies).") { status, eventName, limit };
        list.SetAction((parse, ct) => AdminClient.RunAsync(environment, global, key, parse, (client, error, token) =>
            ListAsync(environment, client, Query(("status", parse.GetValue(status)), ("event", parse.GetValue(eventName)),
                ("limit", parse.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture))), error, token), ct));

        var id = new Argument<long>("id") { Description = "The inbox id (see `events list`)." };
        var show = new Command("show", "Show one event with its raw body.") { id };
        show.SetAction((parse, ct) => AdminClient.RunAsync(environment, global, key, parse, (client, error, token) =>
            ShowAsync(environment, client, parse.GetValue(id), error, token), ct));

        var replayId = new Argument<long?>("id") { Description = "One event to replay; without it, all of --status (default dead).", Arity = ArgumentArity.ZeroOrOne };
        var replayStatus = new Option<string?>("--status") { Description = "dead (default) or done." };
        var replayEvent = new Option<string?>("--event") { Description = "Only this Zoom event name." };
        var replay = new Command("replay", "Send finished events through the handlers again (attempts reset).") { replayId, replayStatus, replayEvent };
        replay.SetAction((parse, ct) => AdminClient.RunAsync(environment, global, key, parse, (client, error, token) =>
        {
            var path = parse.GetValue(replayId) is { } one
                ? $"/admin/events/{one}/replay"
                : "/admin/events/replay" + Query(("status", parse.GetValue(replayStatus)), ("event", parse.GetValue(replayEvent)));
            return ReplayAsync(environment, client, path, error, token);
        }, ct));

        command.Add(list);
        command.Add(show);
        command.Add(replay);
        return command;
    }

    private static async Task<bool> ListAsync(CliEnvironment environment, AdminClient client, string query, TextWriter error, CancellationToken cancellationToken)
    {
        if (await client.SendAsync(HttpMethod.Get, "/admin/events" + query, error, cancellationToken) is not { } page)
        {
            return false;
        }

        var table = new Table().AddColumns("id", "event", "received", "status", "attempts", "last error");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            table.AddRow(
                item.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(item.GetProperty("eventName").GetString() ?? ""),
                item.GetProperty("receivedAt").GetDateTimeOffset().ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                item.GetProperty("status").GetString() ?? "",
                item.GetProperty("attempts").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(item.GetProperty("lastError").GetString() ?? ""));
        }

        CliConsole.Create(environment).Write(table);
        return true;
    }

    private static async Task<bool> ShowAsync(CliEnvironment environment, AdminClient client, long id, TextWriter error, CancellationToken cancellationToken)
    {
        if (await client.SendAsync(HttpMethod.Get, $"/admin/events/{id}", error, cancellationToken) is not { } detail)
        {
            return false;
        }

        var summary = detail.GetProperty("event");
        await environment.Out.WriteLineAsync(
            $"{summary.GetProperty("id").GetInt64()} {summary.GetProperty("eventName").GetString()} {summary.GetProperty("status").GetString()}, " +
            $"{summary.GetProperty("attempts").GetInt32()} attempts, last error: {summary.GetProperty("lastError").GetString() ?? "none"}");
        var body = detail.GetProperty("body").GetString() ?? "";
        await environment.Out.WriteLineAsync(JsonSerializer.Serialize(JsonDocument.Parse(body).RootElement, Indented));
        return true;
    }

    private static async Task<bool> ReplayAsync(CliEnvironment environment, AdminClient client, string path, TextWriter error, CancellationToken cancellationToken)
    {
        if (await client.SendAsync(HttpMethod.Post, path, error, cancellationToken) is not { } result)
        {
            return false;
        }

        await environment.Out.WriteLineAsync($"Replayed {result.GetProperty("replayed").GetInt32()} event(s).");
        return true;
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var pairs = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
