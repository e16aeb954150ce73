using MediatR;

namespace ZoomWebhooks;

/// <summary>
/// One file of a cloud recording is on disk under <c>Recordings:Path</c>, complete and checked
/// against Zoom's <c>file_size</c>: hand it on from here (upload it, transcribe it). Published
/// at least once per file: after a crash between the rename and the job's completion it comes
/// again, so key the handler by <see cref="FileId"/>.
/// </summary>
/// <param name="FileId">Zoom's <c>recording_files[].id</c>, the job's key.</param>
/// <param name="Path">The file's full path.</param>
/// <param name="FileType">Zoom's <c>file_type</c> (<c>MP4</c>, <c>M4A</c>, <c>TRANSCRIPT</c>, <c>CHAT</c>, ...).</param>
/// <param name="RecordingType">Zoom's <c>recording_type</c>, such as <c>shared_screen_with_speaker_view</c>.</param>
/// <param name="Size">The file's size in bytes.</param>
/// <param name="AccountId">The Zoom account, <c>payload.account_id</c>.</param>
/// <param name="Meeting">The recorded meeting, <c>payload.object</c>.</param>
public sealed record RecordingFileDownloaded(
    string FileId,
    string Path,
    string? FileType,
    string? RecordingType,
    long Size,
    string AccountId,
    MeetingRef Meeting) : INotification;
