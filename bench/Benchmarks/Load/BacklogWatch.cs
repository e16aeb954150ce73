using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Samples the events not yet dispatched (pending or in flight) of a service's inbox every
/// <c>--every</c> seconds for <c>--seconds</c> (bench/run.sh starts it beside wrk), then waits up
/// to <c>--patience</c> seconds for the rest to empty. Prints
/// <c>BACKLOG samples=a,b,... empty_after=S</c> (-1: not empty in time).
/// </summary>
internal static class BacklogWatch
{
    public static async Task<int> RunAsync(string[] args)
    {
        var every = TimeSpan.FromSeconds(Args.Int(args, "every", 2));
        var load = TimeSpan.FromSeconds(Args.Int(args, "seconds", 20));
        var patience = TimeSpan.FromSeconds(Args.Int(args, "patience", 20));
        await using var connection = new SqliteConnection($"Data Source={Args.Get(args, "db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT count(*) FROM inbox_events WHERE status IN ('pending', 'processing');";
        async Task<long> BacklogAsync() => Convert.ToInt64(await query.ExecuteScalarAsync(), CultureInfo.InvariantCulture);

        var samples = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed + every <= load)
        {
            var next = every * (samples.Count + 1) - clock.Elapsed;
            await Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.Zero);
            samples.Add(await BacklogAsync());
        }

        await Task.Delay(load > clock.Elapsed ? load - clock.Elapsed : TimeSpan.Zero);
        var stopped = clock.Elapsed;
        var emptyAfter = -1.0;
        while (clock.Elapsed - stopped < patience)
        {
            if (await BacklogAsync() == 0)
            {
                emptyAfter = (clock.Elapsed - stopped).TotalSeconds;
                break;
            }

            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BACKLOG samples={string.Join(',', samples)} empty_after={emptyAfter:0.0}"));
        return 0;
    }
}
