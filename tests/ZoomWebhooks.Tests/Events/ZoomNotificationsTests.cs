using System.Text;
using ZoomWebhooks.Events;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Events;

public sealed class ZoomNotificationsTests
{
    [Fact]
    public void A_participant_left_with_a_numeric_id_and_a_guest_without_ids_is_read_leniently()
    {
        const string body = """
            {"event":"meeting.participant_left","event_ts":1780000000123,
             "payload":{"account_id":"acct-9","object":{"id":81234567890,"uuid":"q+W/e==","topic":"Tøpic ✨",
               "participant":{"user_name":"Guest 7","participant_user_id":"","email":"","leave_time":"2026-11-29T11:00:05Z",
                              "leave_reason":"left the meeting. Reason : left the meeting","unknown_field":{"nested":true}}}}}
            """;

        var notifications = ZoomNotifications.From(42, "meeting.participant_left", 1_780_000_000_123, Encoding.UTF8.GetBytes(body));

        var left = notifications[0].Should().BeOfType<ParticipantLeft>().Subject;
        left.InboxId.Should().Be(42);
        left.AccountId.Should().Be("acct-9");
        left.Meeting.Should().Be(new MeetingRef("q+W/e==", "81234567890", "Tøpic ✨", null));
        left.Participant.Should().Be(new ParticipantRef(null, "Guest 7", null, null, null, null));
        left.LeaveTime.Should().Be(new DateTimeOffset(2026, 11, 29, 11, 0, 5, TimeSpan.Zero));
        left.LeaveReason.Should().StartWith("left the meeting");
        left.EventTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_000_123));
        notifications[1].Should().BeOfType<ZoomEventReceived>().Which.RawJson.Should().Be(body);
    }

    [Theory]
    [InlineData("meeting.started", typeof(MeetingStarted))]
    [InlineData("meeting.ended", typeof(MeetingEnded))]
    [InlineData("meeting.participant_joined", typeof(ParticipantJoined))]
    [InlineData("meeting.participant_left", typeof(ParticipantLeft))]
    public void Each_typed_event_gets_its_notification_then_the_generic_one(string eventName, Type expected)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"{{{eventName}}}","payload":{"object":{"uuid":"u","id":"1"}} }""");

        var notifications = ZoomNotifications.From(1, eventName, 0, body);

        notifications.Select(n => n.GetType()).Should().Equal(expected, typeof(ZoomEventReceived));
    }

    [Theory]
    [InlineData("webinar.started")]
    [InlineData("recording.completed")]
    [InlineData("some.future_event")]
    public void Any_other_event_gets_only_the_generic_notification(string eventName)
    {
        var notifications = ZoomNotifications.From(1, eventName, 5, Encoding.UTF8.GetBytes($$$"""{"event":"{{{eventName}}}","payload":{} }"""));

        notifications.Should().ContainSingle().Which.Should().BeOfType<ZoomEventReceived>().Which.EventName.Should().Be(eventName);
    }

    [Fact]
    public void A_meeting_event_without_an_object_still_publishes_with_empty_fields()
    {
        var notifications = ZoomNotifications.From(1, "meeting.ended", 5, """{"event":"meeting.ended"}"""u8.ToArray());

        notifications[0].Should().BeOfType<MeetingEnded>().Which.Meeting.Should().Be(new MeetingRef("", "", null, null));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void A_body_that_is_not_a_json_object_is_a_format_error(string body)
    {
        var read = () => ZoomNotifications.From(7, "meeting.started", 0, Encoding.UTF8.GetBytes(body));

        read.Should().Throw<FormatException>().WithMessage("*7*");
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(253_402_300_800_000)]
    [InlineData(-62_135_596_800_001)]
    public void An_event_ts_outside_the_range_of_dates_is_a_format_error_naming_the_field(long eventTs)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"meeting.started","event_ts":{{{eventTs}}},"payload":{"object":{"uuid":"u","id":"1"} } }""");

        var read = () => ZoomNotifications.From(9, "meeting.started", eventTs, body);

        read.Should().Throw<FormatException>().WithMessage("*9*event_ts*");
    }

    [Theory]
    [InlineData(253_402_300_799_999)]
    [InlineData(-62_135_596_800_000)]
    public void The_first_and_last_representable_event_ts_are_read(long eventTs)
    {
        var notifications = ZoomNotifications.From(1, "meeting.started", eventTs, """{"event":"meeting.started"}"""u8.ToArray());

        notifications[0].Should().BeOfType<MeetingStarted>().Which.EventTime.ToUnixTimeMilliseconds().Should().Be(eventTs);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("99999-01-01T00:00:00Z")]
    [InlineData("253402300800000")]
    public void A_time_outside_the_range_of_dates_is_absent_not_an_error(string joinTime)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"meeting.participant_joined","payload":{"object":{"uuid":"u","id":"1","participant":{"join_time":"{{{joinTime}}}"} } } }""");

        var joined = ZoomNotifications.From(1, "meeting.participant_joined", 5, body)[0].Should().BeOfType<ParticipantJoined>().Subject;

        joined.JoinTime.Should().BeNull();
    }

    [Fact]
    public void A_lone_surrogate_escape_in_user_data_retention_reads_as_not_retained_instead_of_failing_the_event()
    {
        var body = """{"event":"app.deauthorized","payload":{"account_id":"a","user_id":"u","user_data_retention":"\uD83D"}}"""u8.ToArray();

        var read = () => ZoomNotifications.From(1, "app.deauthorized", 5, body);

        read.Should().NotThrow().Which[0].Should().BeOfType<AppDeauthorized>().Which.UserDataRetention.Should().BeFalse();
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_field_is_kept_as_its_json_text_instead_of_failing_the_event()
    {
        var body = """{"event":"meeting.started","payload":{"object":{"uuid":"u","id":"1","topic":"half \uD83D emoji"}}}"""u8.ToArray();

        var started = ZoomNotifications.From(1, "meeting.started", 0, body)[0].Should().BeOfType<MeetingStarted>().Subject;

        started.Meeting.Topic.Should().Be("half \\uD83D emoji");
    }

    [Fact]
    public void A_printed_participant_hides_the_email()
    {
        var participant = new ParticipantRef("1", "Ada", null, null, null, "ada@example.test");

        participant.ToString().Should().NotContain("ada@example.test").And.Contain("Ada");
    }
}
