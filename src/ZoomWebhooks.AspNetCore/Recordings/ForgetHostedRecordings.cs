using MediatR;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Zoom's Marketplace rules, as for meeting activity (<c>ForgetHostedMeetings</c>): when the app is
/// removed, the downloaded recordings of the meetings that user hosted in the account (all of the
/// account's when no user is named) are deleted, jobs and files, unless
/// <see cref="AppDeauthorized.UserDataRetention"/> is true. A job no worker holds loses its files
/// first, then its row: should a file not go (still open), the handler fails with the job still
/// listed, and the dispatcher's retry finds it again. A job a worker holds loses its row only: that
/// worker is the one writing its files, and removes them once it finds the job gone
/// (<see cref="RecordingWorker"/>). Logs counts and a hash of the account.
/// </summary>
internal sealed partial class ForgetHostedRecordings(
    RecordingStore store, IOptionsMonitor<RecordingsOptions> options, TimeProvider time, ILogger<ForgetHostedRecordings> logger)
    : INotificationHandler<AppDeauthorized>
{
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
            if (isHeld)
            {
                held++;
            }
            else if (RecordingPaths.Remove(settings.Path!, path))
            {
                files++;
            }

            if (await store.DeleteAsync(fileId, cancellationToken))
            {
                jobs++;
            }
        }

        Log.Forgotten(logger, notification.InboxId, AccountRef.Of(accountId), files, jobs, held);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "App deauthorized (inbox event {InboxId}, account {AccountRef}): {RecordingFiles} recording file(s) and {RecordingJobs} job(s) " +
                      "of the user's meetings deleted; {RecordingsInFlight} in a worker's hands, which removes them")]
        public static partial void Forgotten(ILogger logger, long inboxId, string accountRef, int recordingFiles, int recordingJobs, int recordingsInFlight);
    }
}
