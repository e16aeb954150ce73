using System.Text;
using MediatR;
using Microsoft.Extensions.Logging.Abstractions;
using ZoomWebhooks.Events;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>
/// One meeting built from the project's samples/: started, Søren joins, leaves, rejoins and leaves,
/// ended. The rejoin is the same sample with other times, so a stay is split in two.
/// </summary>
internal static class MeetingSamples
{
    public const string SampleUuid = "k3Jd+9QvT/aZ1xW8mN0p2g==";
    public const string Email = "soren.odegard@northwind-labs.test";
    public const string ParticipantKey = "F2C9A1D4-7E3B-4C8A-9B61-3D5E7F9A0C2B";

    /// <summary>09:02:35-09:20:00 and 09:25:00-09:45:12: 1045 s + 1212 s.</summary>
    public const long TotalSeconds = 2257;

    public sealed record SampleEvent(string Name, long EventTs, string Body)
    {
        public byte[] Bytes => Encoding.UTF8.GetBytes(Body);
    }

    public static IReadOnlyList<SampleEvent> Events(string uuid = SampleUuid)
    {
        var joined = Read("meeting.participant_joined.json");
        var left = Read("meeting.participant_left.json");
        return
        [
            Event("meeting.started", Read("meeting.started.json"), uuid),
            Event("meeting.participant_joined", joined, uuid),
            Event("meeting.participant_left", Retime(left, "2026-11-30T09:45:12Z", "2026-11-30T09:20:00Z", "1796031912230", "1796030400100"), uuid),
            Event("meeting.participant_joined", Retime(joined, "2026-11-30T09:02:35Z", "2026-11-30T09:25:00Z", "1796029355907", "1796030700100"), uuid),
            Event("meeting.participant_left", left, uuid),
            Event("meeting.ended", Read("meeting.ended.json"), uuid),
        ];
    }

    public const string WebinarUuid = "Wq7b/Xz3+RkT0mN9pL2vHg==";

    /// <summary>The attendee's key in the webinar: her registration, which survives the rejoin that changed her participant_uuid.</summary>
    public const string WebinarAttendeeKey = "registrant:RgT5xLm2QpW8nZk3Vb7dYa";

    /// <summary>15:02:10-15:30:00 and 15:35:00-16:01:30: 1670 s + 1590 s.</summary>
    public const long WebinarTotalSeconds = 3260;

    private const string FirstParticipantUuid = "7A1C3E5B-9D2F-4B6A-8C0E-1F3A5C7E9B2D";
    private const string RejoinParticipantUuid = "0B9E7C5A-3F1D-4E2B-A6C8-D0F2B4A6C8E1";

    /// <summary>
    /// One webinar from samples/: started, Amélie joins, leaves, rejoins and leaves, ended. Zoom gave
    /// her rejoin another participant_uuid (PROTOCOL.md); her registrant_id stays.
    /// </summary>
    public static IReadOnlyList<SampleEvent> WebinarEvents(string uuid = WebinarUuid)
    {
        var joined = Read("webinar.participant_joined.json");
        var left = Read("webinar.participant_left.json");
        return
        [
            Event("webinar.started", Read("webinar.started.json"), uuid, WebinarUuid),
            Event("webinar.participant_joined", joined, uuid, WebinarUuid),
            Event("webinar.participant_left", Retime(left, "2026-12-01T16:01:30Z", "2026-12-01T15:30:00Z", "1796140890129", "1796139000100"), uuid, WebinarUuid),
            Event("webinar.participant_joined",
                Retime(joined, "2026-12-01T15:02:10Z", "2026-12-01T15:35:00Z", "1796137330842", "1796139300100")
                    .Replace(FirstParticipantUuid, RejoinParticipantUuid, StringComparison.Ordinal), uuid, WebinarUuid),
            Event("webinar.participant_left", left.Replace(FirstParticipantUuid, RejoinParticipantUuid, StringComparison.Ordinal), uuid, WebinarUuid),
            Event("webinar.ended", Read("webinar.ended.json"), uuid, WebinarUuid),
        ];
    }

    /// <summary>Publishes an event's typed notification to the projection handler, as the dispatcher does.</summary>
    public static async Task RecordAsync(MeetingStore store, SampleEvent sample, long inboxId = 1, bool storeEmails = false)
    {
        var handler = new RecordMeetingFacts(store, new FixedOptions<MeetingsOptions>(new MeetingsOptions { StoreEmails = storeEmails }),
            NullLogger<RecordMeetingFacts>.Instance);
        var notification = ZoomNotifications.From(inboxId, sample.Name, sample.EventTs, sample.Bytes)[0];
        await (notification switch
        {
            MeetingStarted n => handler.Handle(n, CancellationToken.None),
            MeetingEnded n => handler.Handle(n, CancellationToken.None),
            ParticipantJoined n => handler.Handle(n, CancellationToken.None),
            ParticipantLeft n => handler.Handle(n, CancellationToken.None),
            WebinarStarted n => handler.Handle(n, CancellationToken.None),
            WebinarEnded n => handler.Handle(n, CancellationToken.None),
            WebinarParticipantJoined n => handler.Handle(n, CancellationToken.None),
            WebinarParticipantLeft n => handler.Handle(n, CancellationToken.None),
            INotification other => throw new InvalidOperationException($"Not a meeting event: {other}"),
        });
    }

    private static SampleEvent Event(string name, string body, string uuid, string sampleUuid = SampleUuid)
    {
        var ts = long.Parse(System.Text.RegularExpressions.Regex.Match(body, "\"event_ts\": *(\\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new SampleEvent(name, ts, body.Replace(sampleUuid, uuid, StringComparison.Ordinal));
    }

    private static string Retime(string body, string time, string newTime, string eventTs, string newEventTs) =>
        body.Replace(time, newTime, StringComparison.Ordinal).Replace(eventTs, newEventTs, StringComparison.Ordinal);

    private static string Read(string file) => RepositoryFiles.Read(Path.Combine("samples", file));
}
