using System.Data.Common;

namespace ZoomWebhooks.Inbox;

/// <summary>The few ADO.NET helpers the inbox and the meeting store share, for either provider.</summary>
internal static class Db
{
    public static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Rows per status of a <c>SELECT status, count(*) ... GROUP BY status</c>, every one of
    /// <paramref name="statuses"/> present (0 when it has none): the inbox's and the recording
    /// jobs' gauges.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(
        DbConnection connection, string sql, IEnumerable<string> statuses, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        var counts = statuses.ToDictionary(s => s, _ => 0L);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>One row of a claim (<see cref="InboxSql.ClaimedColumns"/>), under the claim's lease token.</summary>
    public static ClaimedEvent Claimed(DbDataReader reader, string leaseToken) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), NullableString(reader, 3),
        NullableString(reader, 4), (byte[])reader.GetValue(5), reader.GetInt32(6), leaseToken, FromMs(reader.GetInt64(7)),
        NullableString(reader, 8), NullableString(reader, 9));

    /// <summary>Adds a named parameter; null becomes DBNull.</summary>
    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A time stored as milliseconds since the Unix epoch (both providers store times so).</summary>
    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromMs(Convert.ToInt64(reader.GetValue(ordinal), null));

    public static DateTimeOffset FromMs(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
