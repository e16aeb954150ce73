using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Dispatch;

/// <summary>When the dispatcher pauses before its next claim: only when it is level with arrivals.</summary>
public sealed class CaughtUpTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_short_batch_of_events_received_moments_ago_is_caught_up()
    {
        var batch = new[] { Claimed(Now.AddMilliseconds(-5)), Claimed(Now.AddMilliseconds(-40)) };

        InboxDispatcher.CaughtUp(batch, batchSize: 64, claimedAt: Now).Should().BeTrue();
    }

    [Fact]
    public void A_short_batch_holding_an_older_event_is_a_backlog_let_out_one_per_meeting()
    {
        var batch = new[] { Claimed(Now.AddMilliseconds(-5)), Claimed(Now.AddSeconds(-2)) };

        InboxDispatcher.CaughtUp(batch, batchSize: 64, claimedAt: Now).Should().BeFalse();
    }

    [Fact]
    public void A_full_batch_means_more_may_be_waiting()
    {
        var batch = Enumerable.Range(0, 4).Select(_ => Claimed(Now)).ToList();

        InboxDispatcher.CaughtUp(batch, batchSize: 4, claimedAt: Now).Should().BeFalse();
    }

    private static ClaimedEvent Claimed(DateTimeOffset receivedAt) =>
        new(1, "meeting.participant_joined", 1, "meeting-1", null, [], 1, "lease", receivedAt);
}
