using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>The delivery orders Zoom really produces (issue 6), each against the projection.</summary>
public sealed class MeetingProjectionTests
{
    private const string Uuid = "m+/1==";
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_join_before_the_meeting_started_event_still_counts_from_its_join_time()
    {
        var detail = Project(Join("ada", 5), Started(), Leave("ada", 35));

        detail.Meeting.Status.Should().Be("live");
        Stays(detail, "ada").Should().Equal((5, 35));
        detail.Participants[0].TotalSeconds.Should().Be(30 * 60);
    }

    [Fact]
    public void A_leave_delivered_before_its_join_and_a_duplicated_join_give_one_stay()
    {
        var detail = Project(Leave("ada", 35), Join("ada", 5), Join("ada", 5), Started());

        Stays(detail, "ada").Should().Equal((5, 35));
    }

    [Fact]
    public void An_end_delivered_before_the_last_leave_closes_nothing_early_and_a_missing_leave_closes_at_the_end()
    {
        var detail = Project(Started(), Ended(60), Join("ada", 5), Join("bob", 10), Leave("ada", 58));

        detail.Meeting.Status.Should().Be("ended");
        detail.Meeting.EndTime.Should().Be(Start.AddMinutes(60));
        Stays(detail, "ada").Should().Equal((5, 58));
        Stays(detail, "bob").Should().Equal((10, 60));
    }

    [Fact]
    public void A_leave_without_any_join_is_a_stay_from_the_meeting_start()
    {
        var detail = Project(Leave("ada", 20), Started());

        Stays(detail, "ada").Should().Equal((0, 20));
    }

    [Fact]
    public void Leaving_and_rejoining_gives_two_stays_and_one_total_even_at_the_same_instant()
    {
        var detail = Project(Join("ada", 0), Leave("ada", 10), Join("ada", 10), Leave("ada", 15), Join("ada", 20), Leave("ada", 30));

        Stays(detail, "ada").Should().Equal((0, 10), (10, 15), (20, 30));
        detail.Participants[0].TotalSeconds.Should().Be(25 * 60);
    }

    [Fact]
    public void A_participant_still_present_in_a_live_meeting_has_an_open_stay_not_counted_yet()
    {
        var detail = Project(Started(), Join("ada", 5));

        detail.Participants[0].Intervals.Should().Equal(new AttendanceInterval(Start.AddMinutes(5), null));
        detail.Participants[0].TotalSeconds.Should().Be(0);
    }

    [Fact]
    public void A_guest_without_ids_is_keyed_by_name_and_keys_prefer_the_participant_uuid()
    {
        MeetingFact.KeyOf(new ParticipantRef(null, "Guest 7", null, null, null, null)).Should().Be("Guest 7");
        MeetingFact.KeyOf(new ParticipantRef("u1", "Ada", "id", "pu1", "puuid", null)).Should().Be("puuid");
        MeetingFact.KeyOf(new ParticipantRef("u1", "Ada", "id", "pu1", null, null)).Should().Be("pu1");
        MeetingFact.KeyOf(new ParticipantRef("u1", "Ada", "id", null, null, null)).Should().Be("u1");
    }

    private static MeetingDetail Project(params MeetingFact[] facts) => MeetingProjection.Project(Uuid, facts);

    private static List<(double, double)> Stays(MeetingDetail detail, string key) =>
        detail.Participants.Single(p => p.Key == key).Intervals
            .Select(i => ((i.Joined - Start).TotalMinutes, (i.Left!.Value - Start).TotalMinutes)).ToList();

    private static MeetingFact Started() => new(Uuid, FactKind.Started, "", Start, 1, 1, "81", "Sync", "host", "acct", Start);

    private static MeetingFact Ended(int minute) =>
        new(Uuid, FactKind.Ended, "", Start.AddMinutes(minute), 9, 9, "81", "Sync", "host", "acct", Start);

    private static MeetingFact Join(string who, int minute) =>
        new(Uuid, FactKind.Joined, who, Start.AddMinutes(minute), 2, 2, ParticipantName: who);

    private static MeetingFact Leave(string who, int minute) =>
        new(Uuid, FactKind.Left, who, Start.AddMinutes(minute), 3, 3, ParticipantName: who);
}
