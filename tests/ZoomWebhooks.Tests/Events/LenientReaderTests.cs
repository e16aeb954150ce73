using System.Text;
using ZoomWebhooks.Events;
using ZoomWebhooks.Webhooks;

namespace ZoomWebhooks.Tests.Events;

/// <summary>The envelope (the ordering key) and the notifications read a payload with one reader, so they cannot disagree.</summary>
public sealed class LenientReaderTests
{
    [Theory]
    [InlineData("\"Dk9+vQ/xTbKw0aZ1e3YgHQ==\"", "Dk9+vQ/xTbKw0aZ1e3YgHQ==")]
    [InlineData("81234567890", "81234567890")]
    public void The_envelope_s_meeting_uuid_is_the_notification_s_Meeting_Uuid(string json, string expected)
    {
        var body = Encoding.UTF8.GetBytes(
            """{"event":"meeting.started","event_ts":1796029355907,"payload":{"account_id":"a","object":{"uuid":""" + json + ""","id":1,"host_id":"h"}}}""");

        WebhookEnvelope.TryParse(body, out var envelope).Should().BeTrue();
        var started = ZoomNotifications.From(1, "meeting.started", 1_796_029_355_907, body).OfType<MeetingStarted>().Single();

        envelope.MeetingUuid.Should().Be(expected);
        started.Meeting.Uuid.Should().Be(envelope.MeetingUuid);
    }
}
