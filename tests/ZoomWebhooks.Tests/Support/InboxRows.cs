using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Tests.Support;

/// <summary>Reads a SQLite inbox file directly, to see what the service really stored.</summary>
public static class InboxRows
{
    public static async Task<IReadOnlyList<Row>> ReadAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, event_name, status, attempts, request_id, body, last_error FROM inbox_events ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), (byte[])reader.GetValue(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    /// <summary>One column of every row, oldest first (null where the row has none).</summary>
    public static async Task<IReadOnlyList<string?>> ColumnAsync(string databasePath, string column)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM inbox_events ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string?>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return values;
    }

    public sealed record Row(long Id, string EventName, string Status, int Attempts, string? RequestId, byte[] Body, string? LastError);
}
