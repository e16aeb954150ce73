using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

public abstract partial class InboxContractTests
{
    [Fact]
    public async Task Claim_leases_due_events_oldest_first_and_up_to_the_limit()
    {
        var late = await AcceptAsync(Event(ts: 30));
        var early = await AcceptAsync(Event(ts: 10));
        var middle = await AcceptAsync(Event(ts: 20));

        var claimed = await ClaimAsync(T0, max: 2);

        claimed.Select(c => c.Id).Should().Equal(early, middle);
        claimed.Should().OnlyContain(c => c.Attempt == 1 && c.LeaseToken.Length > 0);
        var entry = await FindAsync(early);
        entry.Status.Should().Be(InboxStatus.Processing);
        entry.LeaseUntil.Should().Be(T0 + Lease);
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal(late);
        (await ClaimAsync(T0)).Should().BeEmpty("leased events are not handed out twice");
    }

    [Fact]
    public async Task Complete_marks_the_event_done_and_it_is_never_claimed_again()
    {
        var id = await AcceptAsync(Event());
        var claimed = (await ClaimAsync(T0)).Single();

        (await Inbox.CompleteAsync(claimed, T0.AddSeconds(1), CancellationToken.None)).Should().BeTrue();

        var entry = await FindAsync(id);
        entry.Status.Should().Be(InboxStatus.Done);
        entry.CompletedAt.Should().Be(T0.AddSeconds(1));
        entry.LeaseUntil.Should().BeNull();
        (await ClaimAsync(T0.AddHours(1))).Should().BeEmpty();
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_old_holder_can_no_longer_settle()
    {
        var id = await AcceptAsync(Event());
        var first = (await ClaimAsync(T0)).Single();

        (await ClaimAsync(T0 + Lease - TimeSpan.FromMilliseconds(1))).Should().BeEmpty();
        var second = (await ClaimAsync(T0 + Lease)).Single();

        second.Id.Should().Be(id);
        second.Attempt.Should().Be(2);
        second.LeaseToken.Should().NotBe(first.LeaseToken);
        (await Inbox.CompleteAsync(first, T0 + Lease, CancellationToken.None)).Should().BeFalse();
        (await Inbox.MarkDeadAsync(first, T0 + Lease, "late", CancellationToken.None)).Should().BeFalse();
        (await Inbox.CompleteAsync(second, T0 + Lease, CancellationToken.None)).Should().BeTrue();
        (await FindAsync(id)).Status.Should().Be(InboxStatus.Done);
    }

    [Fact]
    public async Task A_rescheduled_event_waits_for_its_time_then_comes_back_with_the_next_attempt()
    {
        var id = await AcceptAsync(Event());
        var claimed = (await ClaimAsync(T0)).Single();
        var due = T0.AddSeconds(30);

        (await Inbox.RescheduleAsync(claimed, due, "HttpRequestException: boom", CancellationToken.None)).Should().BeTrue();

        var entry = await FindAsync(id);
        entry.Should().BeEquivalentTo(new { Status = InboxStatus.Pending, NextAttemptAt = due, LastError = "HttpRequestException: boom", Attempts = 1 });
        (await ClaimAsync(due.AddMilliseconds(-1))).Should().BeEmpty();
        (await ClaimAsync(due)).Single().Attempt.Should().Be(2);
    }

    [Fact]
    public async Task A_dead_event_stays_for_the_operator_and_is_not_claimed()
    {
        var id = await AcceptAsync(Event());
        var claimed = (await ClaimAsync(T0)).Single();

        (await Inbox.MarkDeadAsync(claimed, T0, "FormatException: not JSON", CancellationToken.None)).Should().BeTrue();

        var entry = await FindAsync(id);
        entry.Should().BeEquivalentTo(new { Status = InboxStatus.Dead, LastError = "FormatException: not JSON", CompletedAt = (DateTimeOffset?)T0 });
        entry.Body.Should().NotBeEmpty();
        (await ClaimAsync(T0.AddDays(1))).Should().BeEmpty();
    }

    [Fact]
    public async Task A_released_event_is_due_at_once_and_the_attempt_is_not_counted()
    {
        var id = await AcceptAsync(Event());
        var claimed = (await ClaimAsync(T0)).Single();

        (await Inbox.ReleaseAsync(claimed, T0.AddSeconds(5), CancellationToken.None)).Should().BeTrue();

        (await FindAsync(id)).Should().BeEquivalentTo(new { Status = InboxStatus.Pending, Attempts = 0 });
        (await ClaimAsync(T0.AddSeconds(5))).Single().Attempt.Should().Be(1);
    }

    [Fact]
    public async Task After_a_restart_pending_events_and_expired_leases_are_dispatched_by_the_new_instance()
    {
        var inFlight = await AcceptAsync(Event(ts: 1));
        var waiting = await AcceptAsync(Event(ts: 2));
        (await ClaimAsync(T0, max: 1)).Single().Id.Should().Be(inFlight);

        var restarted = await OpenInitializedAsync();
        var later = T0 + Lease;
        var recovered = await restarted.ClaimAsync(16, later, Lease, CancellationToken.None);

        recovered.Select(c => (c.Id, c.Attempt)).Should().BeEquivalentTo(new[] { (inFlight, 2), (waiting, 1) });
    }

    [Fact]
    public async Task Events_of_one_meeting_come_one_at_a_time_in_event_ts_order()
    {
        var third = await AcceptAsync(Event(meeting: "m1", ts: 300));
        var first = await AcceptAsync(Event(meeting: "m1", ts: 100));
        var other = await AcceptAsync(Event(meeting: "m2", ts: 200));
        var loose = await AcceptAsync(Event(ts: 50));
        var second = await AcceptAsync(Event(meeting: "m1", ts: 200));

        var batch = await ClaimAsync(T0);
        batch.Select(c => c.Id).Should().Equal(loose, first, other);
        (await ClaimAsync(T0)).Should().BeEmpty("m1's next event waits while its first is in flight");

        await Inbox.CompleteAsync(batch.Single(c => c.Id == first), T0, CancellationToken.None);
        var next = await ClaimAsync(T0);
        next.Select(c => c.Id).Should().Equal(second);

        // An event that arrives late with an earlier event_ts waits for the one in flight, and
        // then goes before the later ones still pending.
        var lateEarly = await AcceptAsync(Event(meeting: "m1", ts: 150));
        (await ClaimAsync(T0)).Should().BeEmpty();
        await Inbox.RescheduleAsync(next.Single(), T0, "retry", CancellationToken.None);
        (await ClaimAsync(T0)).Select(c => c.Id).Should().Equal(lateEarly);
        _ = third;
    }

    [Fact]
    public async Task A_meeting_waits_behind_its_earlier_event_while_that_one_is_scheduled_for_retry()
    {
        var first = await AcceptAsync(Event(meeting: "m1", ts: 1));
        var second = await AcceptAsync(Event(meeting: "m1", ts: 2));
        var claimed = (await ClaimAsync(T0)).Single();
        claimed.Id.Should().Be(first);

        await Inbox.RescheduleAsync(claimed, T0.AddMinutes(1), "boom", CancellationToken.None);

        (await ClaimAsync(T0.AddSeconds(1))).Should().BeEmpty("order holds across retries");
        (await ClaimAsync(T0.AddMinutes(1))).Single().Id.Should().Be(first);
        _ = second;
    }
}
