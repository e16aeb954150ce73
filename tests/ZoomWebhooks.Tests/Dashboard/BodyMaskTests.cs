using System.Text;
using ZoomWebhooks.Dashboard;

namespace ZoomWebhooks.Tests.Dashboard;

public sealed class BodyMaskTests
{
    private const string Body = """
        {"event":"recording.completed","payload":{"object":{"password":"Qx7pL2","h323_password":123456,"recording_play_passcode":"pc-1",
        "host_email":"marta@example.test","topic":"Ask ada@example.test","participants":["x@y.test"],
        "recording_files":[{"download_url":"https://zoom.example/rec/1","file_size":42}]},"download_token":"dl-token-1"},"event_ts":1}
        """;

    [Fact]
    public void Tokens_passcodes_and_emails_are_masked_and_everything_else_is_kept_pretty_printed()
    {
        var shown = BodyMask.Format(Encoding.UTF8.GetBytes(Body), showEmails: false);

        shown.Should().NotContain("Qx7pL2").And.NotContain("123456").And.NotContain("pc-1").And.NotContain("dl-token-1")
            .And.NotContain("marta@").And.NotContain("ada@example.test").And.NotContain("x@y.test");
        shown.Should().Contain("\"download_token\": \"••••••\"").And.Contain("\"h323_password\": \"••••••\"")
            .And.Contain("Ask ••••••@••••••").And.Contain("\"file_size\": 42").And.Contain("https://zoom.example/rec/1");
        shown.Split('\n').Length.Should().BeGreaterThan(10, "it is indented, one value a line");
    }

    [Fact]
    public void With_StoreEmails_the_emails_are_shown_but_never_the_secrets()
    {
        var shown = BodyMask.Format(Encoding.UTF8.GetBytes(Body), showEmails: true);

        shown.Should().Contain("marta@example.test").And.Contain("ada@example.test").And.Contain("x@y.test");
        shown.Should().NotContain("Qx7pL2").And.NotContain("dl-token-1").And.NotContain("pc-1");
    }

    [Fact]
    public void Text_is_kept_as_sent_emoji_included_and_the_result_is_still_json()
    {
        var shown = BodyMask.Format("""{"topic":"Review 🚀 \"Q4\"\n","n":[1,2]}"""u8, showEmails: false);

        shown.Should().Contain("\"topic\": \"Review 🚀 \\\"Q4\\\"\\n\"");
        System.Text.Json.JsonDocument.Parse(shown).RootElement.GetProperty("topic").GetString().Should().Be("Review 🚀 \"Q4\"\n");
    }

    [Fact]
    public void A_body_that_is_not_json_is_not_shown()
    {
        BodyMask.Format("not json {"u8, showEmails: false).Should().StartWith("(not JSON");
    }

    [Fact]
    public void The_passcode_in_a_join_url_is_masked_and_the_rest_of_the_url_kept()
    {
        var shown = BodyMask.Format("""{"join_url":"https://us06web.zoom.us/j/81234567890?pwd=Zx9QwErTy12&from=addon"}"""u8, showEmails: true);

        shown.Should().NotContain("Zx9QwErTy12").And.Contain("https://us06web.zoom.us/j/81234567890?pwd=••••••&from=addon");
    }

    [Fact]
    public void A_lone_surrogate_escape_is_not_shown_rather_than_failing_the_page()
    {
        BodyMask.Format("""{"topic":"broken \ud83d emoji"}"""u8, showEmails: false).Should().StartWith("(not JSON");
    }
}
