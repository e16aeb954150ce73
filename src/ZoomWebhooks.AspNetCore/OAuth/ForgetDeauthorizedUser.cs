using MediatR;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// Deletes the user's tokens when Zoom says the app was removed: always, since they are dead
/// anyway. (Meeting activity forgets the user's meetings with a handler of its own.) Logs a count
/// and a hash of the account, nothing personal.
/// </summary>
internal sealed partial class ForgetDeauthorizedUser(TokenStore tokens, ILogger<ForgetDeauthorizedUser> logger)
    : INotificationHandler<AppDeauthorized>
{
    public async Task Handle(AppDeauthorized notification, CancellationToken cancellationToken)
    {
        if (notification.AccountId is not { } accountId)
        {
            Log.NoAccount(logger, notification.InboxId);
            return;
        }

        var tokenRows = await tokens.DeleteAsync(accountId, notification.UserId, cancellationToken);
        Log.Forgotten(logger, notification.InboxId, AccountRef.Of(accountId), tokenRows);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox event {InboxId} (app.deauthorized) names no account; no tokens deleted")]
        public static partial void NoAccount(ILogger logger, long inboxId);

        [LoggerMessage(Level = LogLevel.Information,
            Message = "App deauthorized (inbox event {InboxId}, account {AccountRef}): {TokenRows} token row(s) deleted")]
        public static partial void Forgotten(ILogger logger, long inboxId, string accountRef, int tokenRows);
    }
}
