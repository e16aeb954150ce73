using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ZoomWebhooks.Tests.Support;
using ZoomWebhooks.Tests.Webhooks;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>The whole path: signed deliveries in, dispatched to the projection handlers, read back through /api/meetings.</summary>
public sealed class MeetingsEndpointsTests
{
    private const string Key = "admin-key-Meet-long-enough-for-tests-0006";

    [Fact]
    public async Task The_samples_delivered_in_reverse_order_give_the_meeting_its_attendance_and_a_csv_export()
    {
        using var factory = Factory(storeEmails: true);
        foreach (var sample in MeetingSamples.Events().Reverse())
        {
            (await factory.PostSignedAsync(sample.Body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Every sample handled first: a partial set of facts can already show two stays of other lengths.
        var samples = MeetingSamples.Events().Count();
        await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath),
            rows => rows.Count == samples && rows.All(r => r.Status == ZoomWebhooks.Inbox.InboxStatus.Done),
            because: "every sample is dispatched to the projection");
        var admin = Client(factory, Key);
        var detail = await GetJsonAsync(admin, $"/api/meetings/{Uri.EscapeDataString(MeetingSamples.SampleUuid)}");
        detail.GetProperty("meeting").GetProperty("status").GetString().Should().Be("ended");

        detail.GetProperty("meeting").GetProperty("uuid").GetString().Should().Be(MeetingSamples.SampleUuid);
        detail.GetProperty("meeting").GetProperty("meetingId").GetString().Should().Be("84512739061");
        var participant = detail.GetProperty("participants").EnumerateArray().Single();
        participant.GetProperty("key").GetString().Should().Be(MeetingSamples.ParticipantKey);
        participant.GetProperty("totalSeconds").GetInt64().Should().Be(MeetingSamples.TotalSeconds);

        // Zoom's own API double-encodes a UUID holding '/'; that works too.
        var doubleEncoded = Uri.EscapeDataString(Uri.EscapeDataString(MeetingSamples.SampleUuid));
        (await admin.GetAsync(new Uri($"/api/meetings/{doubleEncoded}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/meetings/{Uri.EscapeDataString(MeetingSamples.SampleUuid)}/attendance");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csv = await admin.SendAsync(csvRequest);
        csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').TrimEnd().Split("\r\n");
        lines.Should().HaveCount(3);
        lines[1].Should().Contain("Søren Ødegård 🎧").And.Contain(MeetingSamples.Email).And.Contain("2026-11-30T09:02:35Z,2026-11-30T09:20:00Z,1045,2257");
        lines[2].Should().Contain("2026-11-30T09:25:00Z,2026-11-30T09:45:12Z,1212,2257");

        var listed = await GetJsonAsync(admin, "/api/meetings?status=ended");
        listed.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("uuid").GetString()).Should().Equal(MeetingSamples.SampleUuid);
        (await GetJsonAsync(admin, "/api/meetings?status=live")).GetProperty("items").GetArrayLength().Should().Be(0);
        factory.Logs.AllText().Should().NotContain(MeetingSamples.Email, "an email is personal data and never logged");
    }

    [Fact]
    public async Task The_webinar_samples_delivered_in_reverse_order_answer_on_the_same_routes_with_the_kind_webinar()
    {
        using var factory = Factory();
        foreach (var sample in MeetingSamples.WebinarEvents().Reverse())
        {
            (await factory.PostSignedAsync(sample.Body)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var samples = MeetingSamples.WebinarEvents().Count;
        await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath),
            rows => rows.Count == samples && rows.All(r => r.Status == ZoomWebhooks.Inbox.InboxStatus.Done),
            because: "every webinar sample is dispatched to the projection");
        var admin = Client(factory, Key);
        var path = $"/api/meetings/{Uri.EscapeDataString(MeetingSamples.WebinarUuid)}";
        var detail = await GetJsonAsync(admin, path);
        detail.GetProperty("meeting").GetProperty("kind").GetString().Should().Be("webinar");
        detail.GetProperty("meeting").GetProperty("status").GetString().Should().Be("ended");
        detail.GetProperty("meeting").GetProperty("meetingId").GetString().Should().Be("91827364550", "a numeric webinar id is read as its digits");

        var attendance = await GetJsonAsync(admin, path + "/attendance");
        var attendee = attendance.EnumerateArray().Single();
        attendee.GetProperty("key").GetString().Should().Be(MeetingSamples.WebinarAttendeeKey);
        attendee.GetProperty("totalSeconds").GetInt64().Should().Be(MeetingSamples.WebinarTotalSeconds);
        attendee.GetProperty("email").ValueKind.Should().Be(JsonValueKind.Null, "emails are kept only with Meetings:StoreEmails");

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, path + "/attendance");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var lines = Encoding.UTF8.GetString(await (await admin.SendAsync(csvRequest)).Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').TrimEnd().Split("\r\n");
        lines[0].Should().EndWith(",kind");
        lines.Skip(1).Should().HaveCount(2).And.OnlyContain(l => l.EndsWith(",3260,webinar", StringComparison.Ordinal));

        var listed = await GetJsonAsync(admin, "/api/meetings");
        listed.GetProperty("items").EnumerateArray().Single().GetProperty("kind").GetString().Should().Be("webinar");
    }

    [Fact]
    public async Task The_read_api_needs_the_admin_key_and_refuses_bad_filters()
    {
        using (var off = new ServiceFactory())
        {
            (await Client(off, Key).GetAsync(new Uri("/api/meetings", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        using var factory = Factory();
        await WebhookEndpointTests.ShouldBeProblemStatus(
            await Client(factory, "wrong").GetAsync(new Uri("/api/meetings", UriKind.Relative)), HttpStatusCode.Unauthorized);
        var admin = Client(factory, Key);
        (await admin.GetAsync(new Uri("/api/meetings?status=open", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.GetAsync(new Uri("/api/meetings?limit=0", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await admin.GetAsync(new Uri("/api/meetings/nope%2F%3D%3D", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetAsync(new Uri("/api/meetings/nope/attendance", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await GetJsonAsync(admin, "/api/meetings")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    private static ServiceFactory Factory(bool storeEmails = false) => new(
        new Dictionary<string, string?> { ["Admin:ApiKey"] = Key, ["Meetings:StoreEmails"] = storeEmails ? "true" : "false" },
        TimeProvider.System);

    private static HttpClient Client(ServiceFactory factory, string? key)
    {
        var client = factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
    }
}
