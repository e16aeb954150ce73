using MediatR;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Zoom's Marketplace rules, as for meeting activity (<c>ForgetHostedMeetings</c>): when the app is
/// removed, the downloaded recordings of the meetings that user hosted in the account (all of the
/// account's when no user is named) are deleted, jobs and files, unless
/// <see cref="AppDeauthorized.UserDataRetention"/> is true. Whoever writes a job's files removes
/// them: a job no worker holds loses its files here, then its row; a job a worker holds loses its
/// row only, and that worker removes what it wrote once it finds the job gone
/// (<see cref="RecordingWorker"/>). Each delete is conditional on which of the two it is, so a
/// worker taking or settling the job in between sends it down the other path. A file that cannot
/// be deleted fails the handler with its job still listed, and the dispatcher's retry finds it
/// again. Logs counts and a hash of the account.
/// </summary>
internal sealed partial class ForgetHostedRecordings(
    RecordingStore store, IOptionsMonitor<RecordingsOptions> options, TimeProvider time, ILogger<ForgetHostedRecordings> logger)
    : INotificationHandler<AppDeauthorized>
{
    // Each turn means a worker took or settled the job between two statements.
    private const int MaxTurns = 4;

    public async Task Handle(AppDeauthorized notification, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled || notification.AccountId is not { } accountId || notification.UserDataRetention)
        {
            return;
        }

        var (files, jobs, held) = (0, 0, 0);
        foreach (var (fileId, path, isHeld) in await store.HostedAsync(accountId, notification.UserId, time.GetUtcNow(), cancellationToken))
        {
            var (removed, deleted, toWorker) = await ForgetAsync(fileId, path, isHeld, settings.Path!, cancellationToken);
            (files, jobs, held) = (files + (removed ? 1 : 0), jobs + (deleted ? 1 : 0), held + (toWorker ? 1 : 0));
        }

        Log.Forgotten(logger, notification.InboxId, AccountRef.Of(accountId), files, jobs, held);
    }

    private async Task<(bool Removed, bool Deleted, bool ToWorker)> ForgetAsync(string fileId, string path, bool held, string root, CancellationToken cancellationToken)
    {
        var removed = false;
        for (var turn = 0; turn < MaxTurns; turn++, held = !held)
        {
            if (held)
            {
                if (await store.DeleteHeldAsync(fileId, time.GetUtcNow(), cancellationToken))
                {
                    return (removed, true, true);
                }
            }
            else
            {
                removed |= RecordingPaths.Remove(root, path);
                if (await store.DeleteFreeAsync(fileId, time.GetUtcNow(), cancellationToken))
                {
                    return (removed, true, false);
                }
            }

            if (await store.FindAsync(fileId, cancellationToken) is null)
            {
                // Deleted meanwhile, by another receiver's handler of the same event.
                return (removed, false, false);
            }
        }

        throw new InvalidOperationException(
            $"Recording file {fileId} changed hands {MaxTurns} times while its job was being deleted; the dispatcher retries the deauthorization.");
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "App deauthorized (inbox event {InboxId}, account {AccountRef}): {RecordingFiles} recording file(s) and {RecordingJobs} job(s) " +
                      "of the user's meetings deleted; {RecordingsInFlight} in a worker's hands, which removes them")]
        public static partial void Forgotten(ILogger logger, long inboxId, string accountRef, int recordingFiles, int recordingJobs, int recordingsInFlight);
    }
}
