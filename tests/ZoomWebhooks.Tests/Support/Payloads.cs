namespace ZoomWebhooks.Tests.Support;

/// <summary>Small payloads shaped like Zoom's, with unique ids so no two tests collide.</summary>
public static class Payloads
{
    public static string MeetingStarted(string? uuid = null, long eventTs = 1_780_000_000_000, string topic = "Weekly sync") =>
        $$$$"""{"event":"meeting.started","payload":{"account_id":"acct-1","object":{"uuid":"{{{{uuid ?? NewUuid()}}}}","id":"81234567890","host_id":"host-1","topic":"{{{{topic}}}}","type":2,"start_time":"2026-11-29T10:00:00Z"}},"event_ts":{{{{eventTs}}}}}""";

    public static string ParticipantJoined(string uuid, long eventTs, string userId = "16778240", string email = "ada@example.test") =>
        $$$$"""{"event":"meeting.participant_joined","event_ts":{{{{eventTs}}}},"payload":{"account_id":"acct-1","object":{"id":81234567890,"uuid":"{{{{uuid}}}}","host_id":"host-1","topic":"Weekly sync","participant":{"user_id":"{{{{userId}}}}","user_name":"Ada L","id":"","participant_uuid":"p-{{{{userId}}}}","email":"{{{{email}}}}","join_time":"2026-11-29T10:01:00Z"}}} }""";

    public static string Custom(string eventName, string? uuid = null, long eventTs = 1_780_000_000_000) =>
        $$$$"""{"event":"{{{{eventName}}}}","event_ts":{{{{eventTs}}}},"payload":{"account_id":"acct-1","object":{"uuid":"{{{{uuid ?? NewUuid()}}}}","id":"1"}}}""";

    public static string UrlValidation(string plainToken) =>
        $$$$"""{"payload":{"plainToken":"{{{{plainToken}}}}"},"event_ts":1780000000000,"event":"endpoint.url_validation"}""";

    /// <summary>Base64 like Zoom's meeting UUIDs, with the '+' and '/' that break re-serialized signatures.</summary>
    public static string NewUuid() => "+/" + Convert.ToBase64String(Guid.NewGuid().ToByteArray())[2..];
}
