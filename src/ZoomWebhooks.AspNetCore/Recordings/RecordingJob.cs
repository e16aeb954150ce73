namespace ZoomWebhooks.Recordings;

/// <summary>The states of a download job, as <c>recording_jobs.status</c> and <c>/api/recordings</c> show them.</summary>
/// <summary>How an attempt ended (<c>zoomwebhooks_recording_attempts_total{outcome}</c>).</summary>
internal static class RecordingOutcome
{
    public const string Done = "done";
    public const string Retry = "retry";
    public const string Failed = "failed";

    /// <summary>Handed back unfinished: the service stopped.</summary>
    public const string Released = "released";

    /// <summary>Another worker took the job over after this one's lease ran out.</summary>
    public const string Lost = "lost";

    /// <summary>The job was deleted meanwhile (a deauthorization) and this worker removed what it wrote.</summary>
    public const string Deleted = "deleted";
}

internal static class RecordingStatus
{
    public const string Pending = "pending";
    public const string Downloading = "downloading";

    /// <summary>The file is in place; its <see cref="RecordingFileDownloaded"/> has not been handled yet.</summary>
    public const string Downloaded = "downloaded";
    public const string Done = "done";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Downloading, Downloaded, Done, Failed];
}

/// <summary>One file of a recording event, as the handler queues it.</summary>
internal sealed record RecordingFile(
    string FileId,
    string AccountId,
    MeetingRef Meeting,
    string EventName,
    long EventTs,
    long InboxId,
    string? FileType,
    string? FileExtension,
    string? RecordingType,
    long? FileSize,
    string DownloadUrl,
    string? DownloadToken,
    string Path);

/// <summary>A job as stored; its download token is a secret and never leaves the service.</summary>
internal sealed record RecordingJob(
    RecordingFile File,
    string Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LeaseToken,
    string? LastError,
    long? Bytes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>A job as <c>/api/recordings</c> lists it: no token, no URL (it may carry one).</summary>
internal sealed record RecordingSummary(
    string FileId,
    string AccountId,
    string MeetingUuid,
    string? MeetingId,
    string? FileType,
    string? RecordingType,
    string Status,
    long? Size,
    long? Bytes,
    int Attempts,
    string? LastError,
    string Path,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? CompletedAt)
{
    public static RecordingSummary From(RecordingJob job) => new(
        job.File.FileId, job.File.AccountId, job.File.Meeting.Uuid, job.File.Meeting.Id.Length == 0 ? null : job.File.Meeting.Id,
        job.File.FileType, job.File.RecordingType, job.Status, job.File.FileSize, job.Bytes, job.Attempts, job.LastError, job.File.Path,
        job.CreatedAt, job.NextAttemptAt, job.CompletedAt);
}
