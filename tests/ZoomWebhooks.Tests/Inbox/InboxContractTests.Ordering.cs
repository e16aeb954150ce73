using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>Ordering keys (Inbox:Ordering=Participant): one participant's events in order, the meeting's others beside them.</summary>
public abstract partial class InboxContractTests
{
    private protected static IncomingEvent Keyed(string? key, long ts, string meeting = "m1") =>
        Event(meeting: meeting, ts: ts) with { OrderingKey = key };

    [Fact]
    public async Task Participants_of_one_meeting_are_claimed_together_and_each_one_s_events_one_at_a_time_in_order()
    {
        var aLeft = await AcceptAsync(Keyed("m1|a", ts: 300));
        var aJoined = await AcceptAsync(Keyed("m1|a", ts: 100));
        var bJoined = await AcceptAsync(Keyed("m1|b", ts: 150));
        var started = await AcceptAsync(Keyed("m1", ts: 50));
        var ended = await AcceptAsync(Keyed("m1", ts: 900));
        var bLeft = await AcceptAsync(Keyed("m1|b", ts: 400));

        var batch = await ClaimAsync(T0);
        batch.Select(c => c.Id).Should().Equal([started, aJoined, bJoined], "each key's earliest event, whatever the order they arrived in");
        batch.Select(c => c.OrderingKey).Should().Equal("m1", "m1|a", "m1|b");
        (await ClaimAsync(T0)).Should().BeEmpty("every key has an event in flight");

        await Inbox.CompleteAsync(batch.Single(c => c.Id == aJoined), T0, CancellationToken.None);
        await Inbox.MarkDeadAsync(batch.Single(c => c.Id == started), T0, "boom", CancellationToken.None);
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal([aLeft, ended], "done and dead both let the key's next event go");

        await Inbox.CompleteAsync(batch.Single(c => c.Id == bJoined), T0, CancellationToken.None);
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal(bLeft);
    }

    [Fact]
    public async Task A_participant_s_late_earlier_event_waits_for_the_one_in_flight_then_goes_before_the_later_ones()
    {
        var second = await AcceptAsync(Keyed("m1|a", ts: 200));
        var third = await AcceptAsync(Keyed("m1|a", ts: 300));
        var inFlight = (await ClaimAsync(T0)).Single();
        inFlight.Id.Should().Be(second);

        var lateEarly = await AcceptAsync(Keyed("m1|a", ts: 100));
        var other = await AcceptAsync(Keyed("m1|b", ts: 100));
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal([other], "m1|a has an event in flight; m1|b does not wait for it");

        await Inbox.RescheduleAsync(inFlight, T0, "retry", CancellationToken.None);
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal(lateEarly);
        _ = third;
    }

    [Fact]
    public async Task A_key_s_next_event_stored_while_its_previous_one_is_in_flight_follows_it_once_done()
    {
        var first = await AcceptAsync(Keyed("m1|a", ts: 1));
        var claimed = (await ClaimAsync(T0)).Single();
        var next = await AcceptAsync(Keyed("m1|a", ts: 2));
        var last = await AcceptAsync(Keyed("m1|a", ts: 3));

        (await ClaimAsync(T0)).Should().BeEmpty();
        await Inbox.CompleteAsync(claimed, T0, CancellationToken.None);

        var second = (await ClaimAsync(T0)).Single();
        second.Id.Should().Be(next);
        await Inbox.CompleteAsync(second, T0, CancellationToken.None);
        (await ClaimAsync(T0)).Single().Id.Should().Be(last);
        _ = first;
    }

    [Fact]
    public async Task A_replayed_event_takes_its_place_in_its_key_s_order()
    {
        var old = await AcceptAsync(Keyed("m1|a", ts: 10));
        await Inbox.CompleteAsync((await ClaimAsync(T0)).Single(), T0, CancellationToken.None);
        var later = await AcceptAsync(Keyed("m1|a", ts: 20));

        (await Inbox.ReplayAsync(new InboxSelection(old, null, null), T0, CancellationToken.None)).Should().Be(1);

        var first = (await ClaimAsync(T0)).Single();
        first.Id.Should().Be(old, "the replayed event is the key's earliest");
        await Inbox.CompleteAsync(first, T0, CancellationToken.None);
        (await ClaimAsync(T0)).Single().Id.Should().Be(later);
    }

    [Fact]
    public async Task A_key_with_a_long_queue_gives_one_event_per_claim_and_holds_no_other_key_back()
    {
        var big = new List<long>();
        for (var ts = 1000; ts < 1300; ts++)
        {
            big.Add(await AcceptAsync(Keyed("webinar|x", ts: ts, meeting: "webinar")));
        }

        var others = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            others.Add(await AcceptAsync(Keyed($"webinar|p{i}", ts: 2000 + i, meeting: "webinar")));
        }

        var order = new List<long>();
        for (var round = 0; round < 300; round++)
        {
            var batch = await ClaimAsync(T0, max: 64);
            batch.Count(c => c.OrderingKey == "webinar|x").Should().Be(1, "one event of a key at a time");
            order.AddRange(batch.Where(c => c.OrderingKey == "webinar|x").Select(c => c.Id));
            if (round == 0)
            {
                batch.Where(c => c.OrderingKey != "webinar|x").Select(c => c.Id).Should().Equal(others);
            }

            foreach (var claimed in batch)
            {
                await Inbox.CompleteAsync(claimed, T0, CancellationToken.None);
            }
        }

        order.Should().Equal(big, "the long queue goes in event_ts order");
        (await ClaimAsync(T0)).Should().BeEmpty();
    }
}
