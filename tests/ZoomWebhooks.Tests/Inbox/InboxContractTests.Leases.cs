using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>The dispatcher's heartbeat (<see cref="IInbox.RenewAsync"/>), on every provider.</summary>
public abstract partial class InboxContractTests
{
    [Fact]
    public async Task Renew_extends_the_lease_of_the_events_still_held_and_no_other_claim_takes_them_meanwhile()
    {
        var held = await AcceptAsync(Event(ts: 1));
        var settled = await AcceptAsync(Event(ts: 2));
        var claim = await ClaimAsync(T0);
        await Inbox.CompleteAsync(claim.Single(c => c.Id == settled), T0, CancellationToken.None);
        var renewedUntil = T0 + Lease + Lease;

        var renewed = await Inbox.RenewAsync(claim[0].LeaseToken, renewedUntil, CancellationToken.None);

        renewed.Should().Be(1, "the settled event is no longer held");
        (await FindAsync(held)).LeaseUntil.Should().Be(renewedUntil);
        (await FindAsync(settled)).Should().BeEquivalentTo(new { Status = InboxStatus.Done, LeaseUntil = (DateTimeOffset?)null });
        (await ClaimAsync(T0 + Lease)).Should().BeEmpty("the original lease has ended, the renewed one has not");
        (await ClaimAsync(renewedUntil - TimeSpan.FromMilliseconds(1))).Should().BeEmpty();
        (await Inbox.CompleteAsync(claim.Single(c => c.Id == held), renewedUntil - TimeSpan.FromMilliseconds(1), CancellationToken.None))
            .Should().BeTrue("the holder still owns it");
    }

    [Fact]
    public async Task Renew_after_the_lease_was_taken_over_changes_nothing()
    {
        var id = await AcceptAsync(Event());
        var first = (await ClaimAsync(T0)).Single();
        var second = (await ClaimAsync(T0 + Lease)).Single();

        var renewed = await Inbox.RenewAsync(first.LeaseToken, T0 + TimeSpan.FromHours(1), CancellationToken.None);

        renewed.Should().Be(0);
        (await FindAsync(id)).LeaseUntil.Should().Be(T0 + Lease + Lease, "the new holder's lease stands");
        (await Inbox.RenewAsync(second.LeaseToken, T0 + TimeSpan.FromHours(1), CancellationToken.None)).Should().Be(1);
    }
}
