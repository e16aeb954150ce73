using System.Text.Json;
using MediatR;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Turns <c>recording.completed</c> and <c>recording.transcript_completed</c> into one download job
/// per <c>payload.object.recording_files[]</c> entry, and nothing more: the download runs in
/// <see cref="RecordingWorker"/>, never on the dispatch of the event, let alone the request. The
/// event's <c>download_token</c> sits at the top level of the body, beside <c>payload</c>.
/// </summary>
internal sealed partial class QueueRecordingFiles(
    RecordingStore store,
    RecordingSignal signal,
    IOptionsMonitor<RecordingsOptions> options,
    TimeProvider time,
    ILogger<QueueRecordingFiles> logger) : INotificationHandler<ZoomEventReceived>
{
    public const string CompletedEvent = "recording.completed";
    public const string TranscriptCompletedEvent = "recording.transcript_completed";

    public async Task Handle(ZoomEventReceived notification, CancellationToken cancellationToken)
    {
        if (notification.EventName is not (CompletedEvent or TranscriptCompletedEvent) || !options.CurrentValue.Enabled)
        {
            return;
        }

        var files = Files(notification);
        foreach (var file in files)
        {
            await store.EnqueueAsync(file, time.GetUtcNow(), cancellationToken);
        }

        Log.Queued(logger, notification.InboxId, notification.EventName, files.Count);
        if (files.Count > 0)
        {
            signal.Notify();
        }
    }

    /// <summary>The files of the event that can be fetched: an id and a download URL each.</summary>
    internal static List<RecordingFile> Files(ZoomEventReceived notification)
    {
        using var document = JsonDocument.Parse(notification.RawJson);
        var root = document.RootElement;
        var payload = ZoomJson.Object(root, "payload");
        var meetingObject = ZoomJson.Object(payload, "object");
        var meeting = MeetingRef.From(meetingObject);
        var accountId = notification.AccountId ?? ZoomJson.Text(meetingObject, "account_id") ?? "";
        var token = ZoomJson.Text(root, "download_token");
        var files = new List<RecordingFile>();
        if (meetingObject.ValueKind != JsonValueKind.Object
            || !meetingObject.TryGetProperty("recording_files", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return files;
        }

        foreach (var entry in list.EnumerateArray())
        {
            if (ZoomJson.Text(entry, "id") is not { } id || ZoomJson.Text(entry, "download_url") is not { } url)
            {
                continue;
            }

            var extension = ZoomJson.Text(entry, "file_extension");
            long? size = long.TryParse(ZoomJson.Text(entry, "file_size"), out var parsed) && parsed > 0 ? parsed : null;
            files.Add(new RecordingFile(
                id, accountId, meeting, notification.EventName, notification.EventTs, notification.InboxId,
                ZoomJson.Text(entry, "file_type"), extension, ZoomJson.Text(entry, "recording_type"), size, url, token,
                RecordingPaths.Relative(accountId, meeting.Uuid, id, extension)));
        }

        return files;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Inbox event {InboxId} ({ZoomEvent}): {Count} recording files queued for download")]
        public static partial void Queued(ILogger logger, long inboxId, string zoomEvent, int count);
    }
}
