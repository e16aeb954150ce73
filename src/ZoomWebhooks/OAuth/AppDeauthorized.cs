using System.Text.Json;
using MediatR;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// <c>app.deauthorized</c>: a user or admin removed the app. Zoom's Marketplace rules: delete that
/// user's data unless <paramref name="UserDataRetention"/> is true.
/// https://developers.zoom.us/docs/api/marketplace/events/#tag/app/POST/app.deauthorized
/// </summary>
public sealed record AppDeauthorized(long InboxId, DateTimeOffset EventTime, string? AccountId, string? UserId, string? ClientId, bool UserDataRetention)
    : INotification
{
    public const string EventName = "app.deauthorized";

    /// <summary>The name of Zoom's older Deauthorization Notification Endpoint deliveries.</summary>
    public const string LegacyEventName = "app_deauthorized";

    internal static AppDeauthorized From(long inboxId, DateTimeOffset eventTime, JsonElement payload) =>
        new(inboxId, eventTime, ZoomJson.Text(payload, "account_id"), ZoomJson.Text(payload, "user_id"), ZoomJson.Text(payload, "client_id"),
            // Documented as the string "false"; a JSON boolean is read the same. Through ZoomJson.Text:
            // GetString throws on a lone surrogate escape, and the event was retried for nothing.
            (payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("user_data_retention", out var retention)
             && retention.ValueKind == JsonValueKind.True) || ZoomJson.Text(payload, "user_data_retention") == "true");
}

/// <summary>
/// Deletes the user's tokens, always (they are dead anyway), and, unless Zoom says the user let
/// the app keep data, the meeting facts of meetings that user hosted in the account. Logs counts
/// and a hash of the account, nothing personal.
/// </summary>
internal sealed partial class ForgetDeauthorizedUser(TokenStore tokens, MeetingStore meetings, ILogger<ForgetDeauthorizedUser> logger)
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
        var factRows = notification.UserDataRetention ? 0 : await meetings.DeleteHostedAsync(accountId, notification.UserId, cancellationToken);
        Log.Forgotten(logger, notification.InboxId, ZoomTokens.AccountRef(accountId), tokenRows, factRows, notification.UserDataRetention);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox event {InboxId} (app.deauthorized) names no account; nothing deleted")]
        public static partial void NoAccount(ILogger logger, long inboxId);

        [LoggerMessage(Level = LogLevel.Information,
            Message = "App deauthorized (inbox event {InboxId}, account {AccountRef}): {TokenRows} token row(s) and {FactRows} meeting fact(s) deleted (data retention allowed: {UserDataRetention})")]
        public static partial void Forgotten(ILogger logger, long inboxId, string accountRef, int tokenRows, int factRows, bool userDataRetention);
    }
}
