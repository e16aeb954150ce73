using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Watches a running service empty a pre-filled inbox: the rate counts from the first finished
/// event (so start-up is not charged) to the last, or to <c>--seconds</c>, whichever comes first.
/// A fresh process spends its first seconds on JIT tier-up, so the second half of the events is
/// also timed on its own (<c>steady</c>): what a service that has been running a while sustains.
/// Prints <c>DRAIN done=N seconds=S rate=R steady=R2</c> for bench/run.sh.
/// </summary>
internal static class DrainWatch
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = Args.Get(args, "db");
        var total = Args.Int(args, "count", 10_000);
        var limit = TimeSpan.FromSeconds(Args.Int(args, "seconds", 20));
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT count(*) FROM inbox_events WHERE status IN ('done', 'dead');";

        var clock = Stopwatch.StartNew();
        long first = -1, done = 0, half = -1;
        TimeSpan firstAt = TimeSpan.Zero, halfAt = TimeSpan.Zero;
        while (clock.Elapsed < limit && done < total)
        {
            await Task.Delay(50);
            done = Convert.ToInt64(await query.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (first < 0 && done > 0)
            {
                (first, firstAt) = (done, clock.Elapsed);
            }

            if (half < 0 && done >= total / 2)
            {
                (half, halfAt) = (done, clock.Elapsed);
            }
        }

        var seconds = (clock.Elapsed - firstAt).TotalSeconds;
        var rate = first < 0 || seconds <= 0 ? 0 : (done - first) / seconds;
        var halfSeconds = (clock.Elapsed - halfAt).TotalSeconds;
        var steady = half < 0 || halfSeconds <= 0 ? 0 : (done - half) / halfSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DRAIN done={done} seconds={seconds:0.00} rate={rate:0} steady={steady:0}"));
        return 0;
    }
}
