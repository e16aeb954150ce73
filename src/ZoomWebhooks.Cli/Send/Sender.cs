using System.Text.Json;
using Spectre.Console;
using ZoomWebhooks.Cli.Delivery;
using ZoomWebhooks.Cli.Payloads;

namespace ZoomWebhooks.Cli.Send;

/// <summary>One delivery's outcome, for the per-file line and the summary.</summary>
public sealed record SentPayload(string Name, string Event, DeliveryResult Result);

/// <summary>Sends the payloads with bounded concurrency, printing one line per answer as it arrives.</summary>
internal sealed class Sender(IAnsiConsole console, WebhookClient client, string secretToken, SendOptions options, TimeProvider time)
{
    private readonly Lock _output = new();

    public async Task<IReadOnlyList<SentPayload>> SendAllAsync(IReadOnlyList<PayloadFile> jobs, ProgressTask? progress, CancellationToken cancellationToken)
    {
        var results = new SentPayload[jobs.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), parallel, async (index, token) =>
        {
            var job = jobs[index];
            var body = options.RefreshIds ? TryRefresh(job.Body) : job.Body;
            var sent = new SentPayload(job.Name, EventName(body), await client.PostAsync(body, secretToken, token));
            results[index] = sent;
            lock (_output)
            {
                WriteLine(sent);
                progress?.Increment(1);
            }
        });
        return results;
    }

    private void WriteLine(SentPayload sent)
    {
        var colour = sent.Result.IsSuccess ? "green" : "red";
        console.MarkupLine(
            $"{Markup.Escape(sent.Event),-28} [{colour}]{sent.Result.Status}[/] {Markup.Escape(sent.Result.Reply),-28} " +
            $"{sent.Result.Milliseconds,5} ms  {Markup.Escape(sent.Name)}");
    }

    // A body that is not JSON is still sent as it is: the receiver's 400 is the interesting answer.
    private byte[] TryRefresh(byte[] body)
    {
        try
        {
            return FreshPayload.Refresh(body, time.GetUtcNow());
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static string EventName(byte[] body) => JsonText.TopLevelString(body, "event") ?? "(no event)";
}
