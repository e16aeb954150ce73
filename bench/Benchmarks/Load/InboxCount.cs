using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>Prints <c>rows=N pending=P</c> of an inbox: accepted events are counted where they are stored, not from HTTP answers.</summary>
internal static class InboxCount
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using var connection = new SqliteConnection($"Data Source={Args.Get(args, "db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT count(*), coalesce(sum(status = 'pending'), 0) FROM inbox_events;";
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"rows={reader.GetInt64(0)} pending={reader.GetInt64(1)}");
        return 0;
    }
}
