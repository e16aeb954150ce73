using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>The operator's operations (admin API, metrics, retention), on every provider.</summary>
public abstract partial class InboxContractTests
{
    [Fact]
    public async Task List_filters_by_status_event_and_time_and_pages_newest_first()
    {
        var old = await AcceptAsync(Event(ts: 1, receivedAt: T0));
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await AcceptAsync(Event(ts: 10 + i, receivedAt: T0.AddHours(1))));
        }

        var dead = (await ClaimAsync(T0.AddHours(2), max: 1)).Single();
        await Inbox.MarkDeadAsync(dead, T0.AddHours(2), "boom", CancellationToken.None);

        var firstPage = await Inbox.ListAsync(new InboxQuery(null, null, T0.AddMinutes(30), null, 3), CancellationToken.None);
        var secondPage = await Inbox.ListAsync(new InboxQuery(null, null, T0.AddMinutes(30), firstPage[^1].Id, 3), CancellationToken.None);
        var deadOnly = await Inbox.ListAsync(new InboxQuery(InboxStatus.Dead, "meeting.participant_joined", null, null, 10), CancellationToken.None);
        var otherEvent = await Inbox.ListAsync(new InboxQuery(null, "meeting.ended", null, null, 10), CancellationToken.None);

        firstPage.Select(s => s.Id).Should().Equal(ids[4], ids[3], ids[2]);
        secondPage.Select(s => s.Id).Should().Equal([ids[1], ids[0]], "the old event is before since");
        deadOnly.Should().ContainSingle().Which.Should().Match<InboxSummary>(s => s.Id == old && s.LastError == "boom" && s.Attempts == 1);
        otherEvent.Should().BeEmpty();
    }

    [Fact]
    public async Task An_event_is_read_back_with_the_transport_it_came_by()
    {
        var posted = await AcceptAsync(Event(ts: 1));
        var socket = await AcceptAsync(Event(ts: 2) with { Transport = IncomingEvent.WebSocket });

        (await Inbox.FindAsync(posted, CancellationToken.None))!.Transport.Should().Be(IncomingEvent.Webhook);
        (await Inbox.FindAsync(socket, CancellationToken.None))!.Transport.Should().Be(IncomingEvent.WebSocket);
    }

    [Fact]
    public async Task Replay_puts_finished_events_back_to_pending_with_attempts_reset()
    {
        var doneId = await AcceptAsync(Event(ts: 1));
        var deadId = await AcceptAsync(Event(ts: 2));
        var pendingId = await AcceptAsync(Event(ts: 3));
        var claimed = await ClaimAsync(T0, max: 2);
        await Inbox.CompleteAsync(claimed.Single(c => c.Id == doneId), T0, CancellationToken.None);
        await Inbox.MarkDeadAsync(claimed.Single(c => c.Id == deadId), T0, "boom", CancellationToken.None);

        var replayedDead = await Inbox.ReplayAsync(new InboxSelection(null, InboxStatus.Dead, null), T0.AddMinutes(1), CancellationToken.None);
        var replayedPending = await Inbox.ReplayAsync(new InboxSelection(pendingId, null, null), T0.AddMinutes(1), CancellationToken.None);
        var replayedDone = await Inbox.ReplayAsync(new InboxSelection(doneId, null, null), T0.AddMinutes(1), CancellationToken.None);

        replayedDead.Should().Be(1);
        replayedPending.Should().Be(0, "only finished events are replayed");
        replayedDone.Should().Be(1);
        var dead = await FindAsync(deadId);
        dead.Status.Should().Be(InboxStatus.Pending);
        dead.Attempts.Should().Be(0);
        dead.LastError.Should().BeNull();
        dead.NextAttemptAt.Should().Be(T0.AddMinutes(1));
        (await ClaimAsync(T0.AddMinutes(1))).Select(c => c.Id).Should().BeEquivalentTo([doneId, deadId, pendingId]);
    }

    [Fact]
    public async Task Delete_removes_only_the_given_finished_status_before_the_cutoff_and_counts_follow()
    {
        var oldDone = await AcceptAsync(Event(ts: 1));
        var newDone = await AcceptAsync(Event(ts: 2));
        var oldDead = await AcceptAsync(Event(ts: 3));
        await AcceptAsync(Event(ts: 4));
        var claimed = await ClaimAsync(T0, max: 3);
        await Inbox.CompleteAsync(claimed.Single(c => c.Id == oldDone), T0, CancellationToken.None);
        await Inbox.CompleteAsync(claimed.Single(c => c.Id == newDone), T0.AddDays(8), CancellationToken.None);
        await Inbox.MarkDeadAsync(claimed.Single(c => c.Id == oldDead), T0, "boom", CancellationToken.None);

        var deleted = await Inbox.DeleteAsync(InboxStatus.Done, T0.AddDays(7), CancellationToken.None);
        var pendingNotDeleted = await Inbox.DeleteAsync(InboxStatus.Pending, T0.AddDays(30), CancellationToken.None);

        deleted.Should().Be(1);
        pendingNotDeleted.Should().Be(0);
        (await Inbox.FindAsync(oldDone, CancellationToken.None)).Should().BeNull();
        (await Inbox.CountByStatusAsync(CancellationToken.None)).Should().BeEquivalentTo(new Dictionary<string, long>
        {
            [InboxStatus.Pending] = 1,
            [InboxStatus.Processing] = 0,
            [InboxStatus.Done] = 1,
            [InboxStatus.Dead] = 1,
        });
    }
}
