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

    [Fact]
    public void Webinar_events_are_read_leniently_a_numeric_id_missing_times_and_an_empty_or_null_registrant_id()
    {
        const string joinedBody = """
            {"event":"webinar.participant_joined","event_ts":1796137330842,
             "payload":{"account_id":"acct-w","object":{"id":91827364550,"uuid":"w+/1==","topic":"All-hands","type":5,
               "participant":{"user_id":"16779011","user_name":"Amélie","participant_uuid":"P-1","registrant_id":"","email":"",
                              "join_time":"2026-12-01T15:02:10Z"}}}}
            """;
        const string leftBody = """
            {"event":"webinar.participant_left","event_ts":1796140890129,
             "payload":{"object":{"uuid":"w+/1==","participant":{"user_name":"Guest 3","registrant_id":null}}}}
            """;

        var joined = ZoomNotifications.From(1, "webinar.participant_joined", 1_796_137_330_842, Encoding.UTF8.GetBytes(joinedBody))[0]
            .Should().BeOfType<WebinarParticipantJoined>().Subject;
        var left = ZoomNotifications.From(2, "webinar.participant_left", 1_796_140_890_129, Encoding.UTF8.GetBytes(leftBody))[0]
            .Should().BeOfType<WebinarParticipantLeft>().Subject;
        var ended = ZoomNotifications.From(3, "webinar.ended", 1, Encoding.UTF8.GetBytes("""{"payload":{"object":{"uuid":"w+/1==","id":"9"}}}"""))[0]
            .Should().BeOfType<WebinarEnded>().Subject;

        joined.Webinar.Should().Be(new MeetingRef("w+/1==", "91827364550", "All-hands", null));
        joined.AccountId.Should().Be("acct-w");
        joined.Participant.RegistrantId.Should().BeNull("an empty registrant_id is absent");
        joined.Participant.Email.Should().BeNull();
        joined.JoinTime.Should().Be(new DateTimeOffset(2026, 12, 1, 15, 2, 10, TimeSpan.Zero));
        left.Participant.Should().BeEquivalentTo(new { UserName = "Guest 3", RegistrantId = (string?)null, ParticipantUuid = (string?)null });
        left.LeaveTime.Should().BeNull("a missing leave_time is absent, not an error");
        left.LeaveReason.Should().BeNull();
        left.AccountId.Should().BeNull();
        ended.StartTime.Should().BeNull();
        ended.EndTime.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"custom_keys":[{"key":"crm","value":"C-42"},{"key":"cohort","value":"b"}],"registrant_id":"R1","participant_uuid":"P1"}""", "custom:cohort=b&crm=C-42")]
    [InlineData("""{"custom_keys":{"crm":"C-42"},"registrant_id":"R1","participant_uuid":"P1"}""", "custom:crm=C-42")]
    [InlineData("""{"custom_keys":[],"registrant_id":"R1","participant_uuid":"P1","user_id":"U1"}""", "registrant:R1")]
    [InlineData("""{"registrant_id":"","participant_uuid":"P1","participant_user_id":"Z1","user_id":"U1"}""", "P1")]
    [InlineData("""{"registrant_id":null,"participant_user_id":"Z1","user_id":"U1","user_name":"Ada"}""", "Z1")]
    [InlineData("""{"user_id":16778240,"user_name":"Ada"}""", "16778240")]
    [InlineData("""{"user_name":"Guest 7","participant_user_id":""}""", "Guest 7")]
    [InlineData("""{}""", "(unknown)")]
    public void A_participant_s_key_is_the_app_s_custom_keys_else_the_registration_else_today_s_ids(string participant, string key)
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"webinar.participant_joined","payload":{"object":{"uuid":"u","participant":""" + participant + "}}}");

        var joined = (WebinarParticipantJoined)ZoomNotifications.From(1, "webinar.participant_joined", 1, body)[0];

        joined.Participant.Key.Should().Be(key);
        MeetingFact.KeyOf(joined.Participant).Should().Be(key, "attendance and ordering share the rule");
        ZoomWebhooks.Webhooks.WebhookEnvelope.TryParse(body, out var envelope).Should().BeTrue();
        envelope.ParticipantKey.Should().Be(key);
    }

    [Theory]
    [InlineData("meeting.started", typeof(MeetingStarted))]
    [InlineData("meeting.ended", typeof(MeetingEnded))]
    [InlineData("meeting.participant_joined", typeof(ParticipantJoined))]
    [InlineData("meeting.participant_left", typeof(ParticipantLeft))]
    [InlineData("webinar.started", typeof(WebinarStarted))]
    [InlineData("webinar.ended", typeof(WebinarEnded))]
    [InlineData("webinar.participant_joined", typeof(WebinarParticipantJoined))]
    [InlineData("webinar.participant_left", typeof(WebinarParticipantLeft))]
    public void Each_typed_event_gets_its_notification_then_the_generic_one(string eventName, Type expected)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"event":"{{{eventName}}}","payload":{"object":{"uuid":"u","id":"1"}} }""");

        var notifications = ZoomNotifications.From(1, eventName, 0, body);

        notifications.Select(n => n.GetType()).Should().Equal(expected, typeof(ZoomEventReceived));
    }

    [Theory]
    [InlineData("webinar.created")]
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
