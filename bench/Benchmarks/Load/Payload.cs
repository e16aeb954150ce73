using System.Globalization;
using System.Text;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// Meeting events shaped like samples/, compact and padded to about 1 KB (the size of issue 7's
/// measurements). Every one is unique: its meeting UUID or participant and its event_ts differ,
/// so neither the request id nor the body hash can deduplicate it.
/// </summary>
internal static class Payload
{
    public const int TargetBytes = 1024;

    /// <summary>Events per meeting in <see cref="Mixed"/>: started, five joins, five leaves, ended.</summary>
    public const int MixedMeetingLength = 12;

    private const int Attendees = (MixedMeetingLength - 2) / 2;

    /// <summary>A participant joining a meeting of its own (or of <paramref name="uuid"/>): the accept runs and the drains.</summary>
    public static byte[] Joined(string tag, int n, long eventTs, string? uuid = null) =>
        Build("meeting.participant_joined", uuid ?? NewUuid(), eventTs, Participant(tag, n, "join_time"));

    /// <summary>
    /// The <paramref name="n"/>-th event of a stream of whole meetings, in order: each meeting
    /// starts, is joined by five participants who then leave, and ends. It exercises every
    /// shipped handler and the per-meeting ordering, as a day of classes would.
    /// </summary>
    public static byte[] Mixed(string tag, int n, long eventTs)
    {
        var meeting = n / MixedMeetingLength;
        var step = n % MixedMeetingLength;
        var uuid = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tag}-{meeting:D9}"));
        return step switch
        {
            0 => Build("meeting.started", uuid, eventTs, null),
            MixedMeetingLength - 1 => Build("meeting.ended", uuid, eventTs, null),
            <= Attendees => Build("meeting.participant_joined", uuid, eventTs, Participant(tag, step, "join_time")),
            _ => Build("meeting.participant_left", uuid, eventTs, Participant(tag, step - Attendees, "leave_time")),
        };
    }

    /// <summary>
    /// Attendee <paramref name="n"/> of one webinar joining or leaving: distinct people (their own
    /// participant_uuid and registrant_id), one webinar uuid, as in the one-webinar storm.
    /// </summary>
    public static byte[] WebinarAttendee(string tag, string uuid, int n, bool join, long eventTs) =>
        Build(join ? "webinar.participant_joined" : "webinar.participant_left", uuid, eventTs,
            Participant(tag, n, join ? "join_time" : "leave_time").Replace("\"registrant_id\":\"\"", $"\"registrant_id\":\"{tag}-r{n}\"", StringComparison.Ordinal));

    private static string NewUuid() => Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    private static string Participant(string tag, int n, string timeField) =>
        ",\"participant\":{\"user_id\":\"" + n.ToString(CultureInfo.InvariantCulture) + "\",\"user_name\":\"Søren Ødegård 🎧 " + tag
        + "\",\"id\":\"Vb3nR8sKQeyT1mZx5wLp0A\",\"participant_uuid\":\"" + tag + "-" + n.ToString(CultureInfo.InvariantCulture)
        + "\",\"participant_user_id\":\"Vb3nR8sKQeyT1mZx5wLp0A\",\"" + timeField + "\":\"2026-11-30T09:02:35Z\","
        + "\"email\":\"participant@northwind-labs.invalid\",\"registrant_id\":\"\",\"phone_number\":\"\",\"customer_key\":\"@@\"}";

    private static byte[] Build(string eventName, string uuid, long eventTs, string? participant)
    {
        var body = "{\"event\":\"" + eventName + "\",\"event_ts\":" + eventTs.ToString(CultureInfo.InvariantCulture)
            + ",\"payload\":{\"account_id\":\"Ac9TxQe4Rz7LpWm2NkYd3B\",\"object\":{\"id\":\"84512739061\",\"uuid\":\"" + uuid
            + "\",\"host_id\":\"Hq7LmZ2xTnWb4RcK9vYpEa\",\"topic\":\"Sprint-Review 🚀 Café Zürich — 会议 Ünïcødé\",\"type\":2,"
            + "\"start_time\":\"2026-11-30T09:01:12Z\",\"end_time\":\"2026-11-30T09:46:12Z\",\"timezone\":\"Europe/Zurich\",\"duration\":45"
            + (participant ?? ",\"customer_key\":\"@@\"") + "}}}";
        var padding = Math.Max(0, TargetBytes - Encoding.UTF8.GetByteCount(body) + 2);
        return Encoding.UTF8.GetBytes(body.Replace("@@", new string('k', padding), StringComparison.Ordinal));
    }
}
