using System.Text.Json;
using MediatR;
using ZoomWebhooks.Events;

namespace ZoomWebhooks;

/// <summary>
/// <c>app.deauthorized</c>: a user or admin removed the app. Zoom's Marketplace rules: delete that
/// user's data unless <paramref name="UserDataRetention"/> is true.
/// https://developers.zoom.us/docs/api/marketplace/events/#tag/app/POST/app.deauthorized
/// </summary>
/// <param name="InboxId">The event's id in the inbox: the same on every attempt.</param>
/// <param name="EventTime">Zoom's <c>event_ts</c>.</param>
/// <param name="AccountId">The account that removed the app.</param>
/// <param name="UserId">The user who removed it; null when the whole account did.</param>
/// <param name="ClientId">The app's client ID.</param>
/// <param name="UserDataRetention">Zoom's <c>user_data_retention</c>: true when the user let the app keep their data.</param>
public sealed record AppDeauthorized(long InboxId, DateTimeOffset EventTime, string? AccountId, string? UserId, string? ClientId, bool UserDataRetention)
    : INotification
{
    /// <summary>The event's name in Zoom's Marketplace event reference.</summary>
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
