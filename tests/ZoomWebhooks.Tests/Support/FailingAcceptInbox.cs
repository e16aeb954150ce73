using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Support;

/// <summary>An inbox whose store refuses writes, as a full disk or a lost database would.</summary>
public sealed class FailingAcceptInbox(IInbox inner) : IInbox
{
    public int AcceptCalls { get; private set; }

    public Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        AcceptCalls++;
        throw new IOException("disk I/O error (simulated)");
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        inner.ClaimAsync(maxCount, now, lease, cancellationToken);

    public Task<bool> CompleteAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CompleteAsync(claimed, now, cancellationToken);

    public Task<bool> RescheduleAsync(ClaimedEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        inner.RescheduleAsync(claimed, nextAttemptAt, error, cancellationToken);

    public Task<bool> MarkDeadAsync(ClaimedEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        inner.MarkDeadAsync(claimed, now, error, cancellationToken);

    public Task<bool> ReleaseAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(claimed, now, cancellationToken);

    public Task<InboxEntry?> FindAsync(long id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
}
