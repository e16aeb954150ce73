using ZoomWebhooks.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>
/// What the meeting store promises on every provider (subclasses in MeetingStoreProviders.cs):
/// the inbox's migrations create its table, repeats are no-ops, and the samples of one meeting
/// recorded in any order, with repeats, give the same meeting and attendance.
/// </summary>
public abstract class MeetingStoreContractTests : IAsyncLifetime
{
    private MigratedDatabase? _database;

    private protected MeetingStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        Store = new MeetingStore(_database.Open());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected abstract Task<MigratedDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_repeated_fact_is_stored_once()
    {
        var fact = new MeetingFact("m+/1==", FactKind.Joined, "p1", DateTimeOffset.FromUnixTimeMilliseconds(1_796_029_355_000), 5, 7);

        (await Store.AppendAsync(fact, CancellationToken.None)).Should().BeTrue();
        (await Store.AppendAsync(fact with { InboxId = 8 }, CancellationToken.None)).Should().BeFalse();

        (await Store.FactsAsync("m+/1==", CancellationToken.None)).Should().ContainSingle();
    }

    [Fact]
    public async Task The_samples_of_one_meeting_in_any_order_with_repeats_give_the_same_attendance()
    {
        var events = MeetingSamples.Events();
        var random = new Random(6);
        List<MeetingSamples.SampleEvent[]> orders = [[.. events], [.. events.Reverse()]];
        for (var i = 0; i < 8; i++)
        {
            // Up to two repeats each time: Zoom's duplicates, or the dispatcher's at-least-once.
            orders.Add([.. events.Concat(events.Take(random.Next(3))).OrderBy(_ => random.Next())]);
        }

        var results = new List<MeetingDetail>();
        foreach (var (order, n) in orders.Select((o, n) => (o, n)))
        {
            var uuid = $"perm{n}+/Zw==";
            foreach (var sample in order)
            {
                await MeetingSamples.RecordAsync(Store, sample with { Body = sample.Body.Replace(MeetingSamples.SampleUuid, uuid, StringComparison.Ordinal) });
            }

            var detail = (await Store.FindAsync(uuid, CancellationToken.None))!;
            results.Add(detail with { Meeting = detail.Meeting with { Uuid = "" } });
        }

        var first = results[0];
        first.Meeting.Status.Should().Be("ended");
        first.Meeting.Topic.Should().Be("Sprint-Review 🚀 Café Zürich — 会议 Ünïcødé");
        first.Participants.Should().ContainSingle().Which.TotalSeconds.Should().Be(MeetingSamples.TotalSeconds);
        first.Participants[0].Intervals.Should().HaveCount(2);
        first.Participants[0].Email.Should().BeNull("emails are stored only when Meetings:StoreEmails is true");
        results.Should().AllSatisfy(r => r.Should().BeEquivalentTo(first, o => o.WithStrictOrdering()));
    }

    [Fact]
    public async Task The_webinar_samples_in_any_order_give_one_attendee_across_her_rejoin_and_the_kind_webinar()
    {
        var events = MeetingSamples.WebinarEvents();
        var random = new Random(15);
        List<MeetingSamples.SampleEvent[]> orders = [[.. events], [.. events.Reverse()]];
        for (var i = 0; i < 6; i++)
        {
            orders.Add([.. events.Concat(events.Take(random.Next(3))).OrderBy(_ => random.Next())]);
        }

        var results = new List<MeetingDetail>();
        foreach (var (order, n) in orders.Select((o, n) => (o, n)))
        {
            var uuid = $"web{n}+/Zw==";
            foreach (var sample in order)
            {
                await MeetingSamples.RecordAsync(Store, sample with { Body = sample.Body.Replace(MeetingSamples.WebinarUuid, uuid, StringComparison.Ordinal) });
            }

            var detail = (await Store.FindAsync(uuid, CancellationToken.None))!;
            (await Store.SummaryAsync(uuid, CancellationToken.None)).Should().Be(detail.Meeting, "the listing agrees with the detail, kind included");
            results.Add(detail with { Meeting = detail.Meeting with { Uuid = "" } });
        }

        var first = results[0];
        first.Meeting.Should().BeEquivalentTo(new { Kind = "webinar", Status = "ended", MeetingId = "91827364550", Topic = "Quarterly all-hands — Zürich & São Paulo 🌍" });
        var attendee = first.Participants.Should().ContainSingle("her registrant_id joins the stays her two participant_uuids split").Subject;
        attendee.Key.Should().Be(MeetingSamples.WebinarAttendeeKey);
        attendee.Intervals.Should().HaveCount(2);
        attendee.TotalSeconds.Should().Be(MeetingSamples.WebinarTotalSeconds);
        results.Should().AllSatisfy(r => r.Should().BeEquivalentTo(first, o => o.WithStrictOrdering()));

        await MeetingSamples.RecordAsync(Store, MeetingSamples.Events()[0]);
        var listed = await Store.ListAsync(status: null, since: null, limit: 50, CancellationToken.None);
        listed.Single(m => m.Uuid == MeetingSamples.SampleUuid).Kind.Should().Be("meeting");
        listed.Where(m => m.Uuid.StartsWith("web", StringComparison.Ordinal)).Should().HaveCount(orders.Count).And.OnlyContain(m => m.Kind == "webinar");
    }

    [Fact]
    public async Task The_listing_agrees_with_the_detail_and_filters_by_status_and_start()
    {
        var events = MeetingSamples.Events("ended+/1==");
        foreach (var sample in events)
        {
            await MeetingSamples.RecordAsync(Store, sample);
        }

        // A live one: started and a join, no end yet; delivered join first.
        foreach (var sample in MeetingSamples.Events("live+/2==").Take(2).Reverse())
        {
            await MeetingSamples.RecordAsync(Store, sample);
        }

        (await Store.SummaryAsync("ended+/1==", CancellationToken.None))
            .Should().Be((await Store.FindAsync("ended+/1==", CancellationToken.None))!.Meeting);
        (await Store.SummaryAsync("live+/2==", CancellationToken.None))
            .Should().Be((await Store.FindAsync("live+/2==", CancellationToken.None))!.Meeting);

        (await Store.ListAsync("live", null, 50, CancellationToken.None)).Select(m => m.Uuid).Should().Equal("live+/2==");
        (await Store.ListAsync("ended", null, 50, CancellationToken.None)).Select(m => m.Uuid).Should().Equal("ended+/1==");
        (await Store.ListAsync(null, null, 50, CancellationToken.None)).Should().HaveCount(2);
        var start = new DateTimeOffset(2026, 11, 30, 9, 1, 12, TimeSpan.Zero);
        (await Store.ListAsync(null, start, 50, CancellationToken.None)).Should().HaveCount(2);
        (await Store.ListAsync(null, start.AddSeconds(1), 50, CancellationToken.None)).Should().BeEmpty();
        (await Store.FindAsync("unknown", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task The_listing_reads_one_summary_row_per_meeting_kept_and_forgotten_with_its_facts()
    {
        foreach (var uuid in new[] { "a+/1==", "b+/2==" })
        {
            foreach (var sample in MeetingSamples.Events(uuid))
            {
                await MeetingSamples.RecordAsync(Store, sample);
            }
        }

        (await _database!.ScalarAsync("SELECT count(*) FROM meeting_summaries")).Should().Be(2L, "one row per meeting, not per fact");
        (await Store.ListAsync(null, null, 1, CancellationToken.None)).Should().ContainSingle("the limit cuts the page");

        var facts = await Store.FactsAsync("a+/1==", CancellationToken.None);
        await Store.DeleteHostedAsync(facts[0].AccountId!, hostId: null, CancellationToken.None);

        (await _database.ScalarAsync("SELECT count(*) FROM meeting_summaries")).Should().Be(0L, "a meeting's row goes with its last fact");
        (await Store.ListAsync(null, null, 50, CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task Emails_are_kept_only_when_the_operator_opts_in()
    {
        var joined = MeetingSamples.Events()[1];

        await MeetingSamples.RecordAsync(Store, joined with { Body = joined.Body.Replace(MeetingSamples.SampleUuid, "no-mail==", StringComparison.Ordinal) });
        await MeetingSamples.RecordAsync(Store, joined with { Body = joined.Body.Replace(MeetingSamples.SampleUuid, "mail==", StringComparison.Ordinal) },
            storeEmails: true);

        (await Store.FactsAsync("no-mail==", CancellationToken.None)).Single().Email.Should().BeNull();
        (await Store.FactsAsync("mail==", CancellationToken.None)).Single().Email.Should().Be(MeetingSamples.Email);
    }

    [Fact]
    public async Task An_event_naming_no_meeting_is_skipped_not_failed()
    {
        var joined = MeetingSamples.Events()[1];

        await MeetingSamples.RecordAsync(Store, joined with { Body = joined.Body.Replace(MeetingSamples.SampleUuid, "", StringComparison.Ordinal) });

        (await Store.ListAsync(null, null, 50, CancellationToken.None)).Should().BeEmpty();
    }
}
