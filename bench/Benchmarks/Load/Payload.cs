using System.Globalization;
using System.Text;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// A meeting.participant_joined shaped like samples/, compact and padded to about 1 KB (the
/// size of issue 7's measurements), unique per <paramref name="n"/>: its meeting UUID, participant
/// and event_ts differ, so neither the request id nor the body hash can deduplicate it.
/// </summary>
internal static class Payload
{
    public const int TargetBytes = 1024;

    public static byte[] Joined(string tag, int n, long eventTs)
    {
        var uuid = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var body = "{\"event\":\"meeting.participant_joined\",\"event_ts\":" + eventTs.ToString(CultureInfo.InvariantCulture)
            + ",\"payload\":{\"account_id\":\"Ac9TxQe4Rz7LpWm2NkYd3B\",\"object\":{\"id\":\"84512739061\",\"uuid\":\"" + uuid
            + "\",\"host_id\":\"Hq7LmZ2xTnWb4RcK9vYpEa\",\"topic\":\"Sprint-Review 🚀 Café Zürich — 会议 Ünïcødé\",\"type\":2,"
            + "\"start_time\":\"2026-11-30T09:01:12Z\",\"timezone\":\"Europe/Zurich\",\"duration\":45,\"participant\":{\"user_id\":\""
            + n.ToString(CultureInfo.InvariantCulture) + "\",\"user_name\":\"Søren Ødegård 🎧 " + tag
            + "\",\"id\":\"Vb3nR8sKQeyT1mZx5wLp0A\",\"participant_uuid\":\"" + Guid.NewGuid().ToString()
            + "\",\"participant_user_id\":\"Vb3nR8sKQeyT1mZx5wLp0A\",\"join_time\":\"2026-11-30T09:02:35Z\","
            + "\"email\":\"participant@northwind-labs.invalid\",\"registrant_id\":\"\",\"phone_number\":\"\",\"customer_key\":\"@@\"}}}}";
        var padding = Math.Max(0, TargetBytes - Encoding.UTF8.GetByteCount(body) + 2);
        return Encoding.UTF8.GetBytes(body.Replace("@@", new string('k', padding), StringComparison.Ordinal));
    }
}
