using System.Data.Common;
using ZoomWebhooks.Inbox;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Download jobs in the inbox's database over plain ADO.NET, one class for both providers (the
/// statements in <see cref="RecordingSql"/> are shared). Writes go through the process's SQLite
/// writer when there is one, and never continue on its thread.
/// </summary>
internal sealed class RecordingStore(InboxDatabase database)
{
    /// <summary>Queues the file, or refreshes the token of its unfinished job (<see cref="RecordingSql.Enqueue"/>).</summary>
    public Task<int> EnqueueAsync(RecordingFile file, DateTimeOffset now, CancellationToken cancellationToken) => WriteAsync(RecordingSql.Enqueue,
    [
        new("file_id", file.FileId), new("account_id", file.AccountId), new("meeting_uuid", file.Meeting.Uuid),
        new("meeting_id", file.Meeting.Id.Length == 0 ? null : file.Meeting.Id), new("topic", file.Meeting.Topic), new("host_id", file.Meeting.HostId),
        new("event_name", file.EventName), new("event_ts", file.EventTs), new("inbox_id", file.InboxId), new("file_type", file.FileType),
        new("file_extension", file.FileExtension), new("recording_type", file.RecordingType), new("file_size", file.FileSize),
        new("download_url", file.DownloadUrl), new("download_token", file.DownloadToken), new("path", file.Path),
        new("now", now.ToUnixTimeMilliseconds()),
    ], cancellationToken);

    /// <summary>Leases up to <paramref name="limit"/> due jobs under one new lease token.</summary>
    public async Task<IReadOnlyList<RecordingJob>> ClaimAsync(int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = InboxDatabase.Command(connection, RecordingSql.Candidates, [new("now", now.ToUnixTimeMilliseconds()), new("limit", limit)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add(reader.GetString(0));
            }
        }

        var token = Guid.NewGuid().ToString("N");
        var claimed = new List<RecordingJob>();
        foreach (var fileId in candidates)
        {
            var took = await WriteAsync(RecordingSql.Take,
                [new("file_id", fileId), new("now", now.ToUnixTimeMilliseconds()), new("lease_until", (now + lease).ToUnixTimeMilliseconds()), new("lease_token", token)],
                cancellationToken);
            if (took == 1 && await ReadOneAsync(RecordingSql.Claimed, [new("file_id", fileId), new("lease_token", token)], cancellationToken) is { } job)
            {
                claimed.Add(job);
            }
        }

        return claimed;
    }

    /// <summary>On SQLite only (see <see cref="RecordingSql.TakeBackLeases"/>); the count of jobs taken back.</summary>
    public Task<int> TakeBackLeasesAsync(CancellationToken cancellationToken) =>
        database.IsPostgres ? Task.FromResult(0) : WriteAsync(RecordingSql.TakeBackLeases, [], cancellationToken);

    public async Task<bool> RenewAsync(RecordingJob job, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Renew, Owned(job, ("lease_until", leaseUntil.ToUnixTimeMilliseconds())), cancellationToken) == 1;

    public async Task<bool> MarkDownloadedAsync(RecordingJob job, long bytes, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.MarkDownloaded, Owned(job, ("bytes", bytes)), cancellationToken) == 1;

    public async Task<bool> CompleteAsync(RecordingJob job, DateTimeOffset at, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Complete, Owned(job, ("at", at.ToUnixTimeMilliseconds())), cancellationToken) == 1;

    public async Task<bool> RescheduleAsync(RecordingJob job, string status, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Reschedule, Owned(job, ("status", status), ("at", at.ToUnixTimeMilliseconds()), ("error", error)), cancellationToken) == 1;

    public async Task<bool> FailAsync(RecordingJob job, DateTimeOffset at, string error, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Fail, Owned(job, ("at", at.ToUnixTimeMilliseconds()), ("error", error)), cancellationToken) == 1;

    public async Task<bool> ReleaseAsync(RecordingJob job, DateTimeOffset at, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Release, Owned(job, ("at", at.ToUnixTimeMilliseconds())), cancellationToken) == 1;

    /// <summary>A failed job back to pending; false when there is no failed job of that id.</summary>
    public async Task<bool> RetryAsync(string fileId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.Retry, [new("file_id", fileId), new("now", now.ToUnixTimeMilliseconds())], cancellationToken) == 1;

    /// <summary>The file id, stored path and whether a worker holds it, of each job of <see cref="RecordingSql.Hosted"/>.</summary>
    public async Task<IReadOnlyList<(string FileId, string Path, bool Held)>> HostedAsync(
        string accountId, string? hostId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = InboxDatabase.Command(connection, RecordingSql.Hosted,
            [new("account_id", accountId), new("host_id", hostId), new("now", now.ToUnixTimeMilliseconds())]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<(string, string, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add((reader.GetString(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), null) == 1));
        }

        return jobs;
    }

    /// <summary>Jobs per status (<c>zoomwebhooks_recording_jobs</c>), every status present.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await Db.CountByStatusAsync(connection, RecordingSql.CountByStatus, RecordingStatus.All, cancellationToken);
    }

    /// <summary>Deletes the job if a worker holds it now (<see cref="RecordingSql.DeleteHeld"/>).</summary>
    public async Task<bool> DeleteHeldAsync(string fileId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.DeleteHeld, [new("file_id", fileId), new("now", now.ToUnixTimeMilliseconds())], cancellationToken) == 1;

    /// <summary>Deletes the job if no worker holds it (<see cref="RecordingSql.DeleteFree"/>).</summary>
    public async Task<bool> DeleteFreeAsync(string fileId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await WriteAsync(RecordingSql.DeleteFree, [new("file_id", fileId), new("now", now.ToUnixTimeMilliseconds())], cancellationToken) == 1;

    public Task<RecordingJob?> FindAsync(string fileId, CancellationToken cancellationToken) =>
        ReadOneAsync(RecordingSql.Find, [new("file_id", fileId)], cancellationToken);

    public async Task<IReadOnlyList<RecordingJob>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = InboxDatabase.Command(connection, RecordingSql.List, [new("status", status), new("limit", limit)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<RecordingJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    /// <summary>A page of <see cref="RecordingSql.Page"/>: after (<paramref name="beforeAt"/>, <paramref name="beforeId"/>), or from the newest when null.</summary>
    public Task<IReadOnlyList<RecordingJob>> PageAsync(string? status, long? beforeAt, string? beforeId, int limit, CancellationToken cancellationToken) =>
        ReadManyAsync(RecordingSql.Page(status is not null),
        [
            new("status", status), new("before_at", beforeAt ?? long.MaxValue), new("before_id", beforeAt is null ? "" : beforeId ?? ""), new("limit", limit),
        ], cancellationToken);

    private async Task<IReadOnlyList<RecordingJob>> ReadManyAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = InboxDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var jobs = new List<RecordingJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    private async Task<RecordingJob?> ReadOneAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = InboxDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    // Yield: a SQLite write completes on the inbox's writer thread, which must not run a download.
    private async Task<int> WriteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(sql, parameters, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    private static List<KeyValuePair<string, object?>> Owned(RecordingJob job, params (string Name, object? Value)[] values) =>
        [new("file_id", job.File.FileId), new("lease_token", job.LeaseToken), .. values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))];

    private static RecordingJob Read(DbDataReader reader) => new(
        new RecordingFile(
            reader.GetString(0), reader.GetString(1),
            new MeetingRef(reader.GetString(2), NullableString(reader, 3) ?? "", NullableString(reader, 4), NullableString(reader, 5)),
            reader.GetString(6), reader.GetInt64(7), reader.GetInt64(8), NullableString(reader, 9), NullableString(reader, 10),
            NullableString(reader, 11), NullableLong(reader, 12), reader.GetString(13), NullableString(reader, 14), reader.GetString(15)),
        reader.GetString(16), reader.GetInt32(17), FromMs(reader.GetInt64(18)), NullableString(reader, 19), NullableString(reader, 20),
        NullableLong(reader, 21), FromMs(reader.GetInt64(22)), NullableTime(reader, 23));

    private static long? NullableLong(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), null);
}
