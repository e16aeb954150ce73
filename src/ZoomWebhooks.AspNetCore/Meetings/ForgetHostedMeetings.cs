using MediatR;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// Zoom's Marketplace rules: when the app is removed, delete that user's data unless
/// <see cref="AppDeauthorized.UserDataRetention"/> says the user let the app keep it. Here, the
/// facts of the meetings that user hosted in the account. Logs a count and a hash of the account.
/// </summary>
internal sealed partial class ForgetHostedMeetings(MeetingStore meetings, ILogger<ForgetHostedMeetings> logger)
    : INotificationHandler<AppDeauthorized>
{
    public async Task Handle(AppDeauthorized notification, CancellationToken cancellationToken)
    {
        if (notification.AccountId is not { } accountId || notification.UserDataRetention)
        {
            return;
        }

        var factRows = await meetings.DeleteHostedAsync(accountId, notification.UserId, cancellationToken);
        Log.Forgotten(logger, notification.InboxId, AccountRef.Of(accountId), factRows);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "App deauthorized (inbox event {InboxId}, account {AccountRef}): {FactRows} meeting fact(s) of the user's meetings deleted")]
        public static partial void Forgotten(ILogger logger, long inboxId, string accountRef, int factRows);
    }
}
