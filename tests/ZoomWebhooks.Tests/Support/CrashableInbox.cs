using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Wraps a host's real inbox so a test can make the host "die": after <see cref="Crash"/> every
/// call fails, as if the process were gone. The store sees exactly what a crash leaves behind:
/// this host's leased events stay 'processing' until their leases run out.
/// </summary>
internal sealed class CrashableInbox(IInbox inner) : IInbox, IDisposable
{
    private readonly ConcurrentDictionary<long, byte> _held = new();
    private readonly TaskCompletionSource _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Events this host claimed and never settled: what another host must take over.</summary>
    public IReadOnlyCollection<long> Held => [.. _held.Keys];

    public Task Crashed => _crashed.Task;

    public void Crash() => _crashed.TrySetResult();

    /// <summary>Replaces the host's <see cref="IInbox"/> registration with a crashable wrapper of it.</summary>
    public static void Install(IServiceCollection services, Action<CrashableInbox> created)
    {
        var original = services.Single(d => d.ServiceType == typeof(IInbox));
        services.Remove(original);
        services.AddSingleton<IInbox>(sp =>
        {
            var wrapper = new CrashableInbox((IInbox)original.ImplementationFactory!(sp));
            created(wrapper);
            return wrapper;
        });
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Alive(() => inner.InitializeAsync(cancellationToken));

    public Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken) =>
        Alive(() => inner.AcceptAsync(incoming, cancellationToken));

    public async Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claimed = await Alive(() => inner.ClaimAsync(maxCount, now, lease, cancellationToken));
        foreach (var e in claimed)
        {
            _held[e.Id] = 0;
        }

        return claimed;
    }

    public Task<int> RenewAsync(string leaseToken, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        Alive(() => inner.RenewAsync(leaseToken, leaseUntil, cancellationToken));

    public Task<bool> CompleteAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        Settle(claimed, () => inner.CompleteAsync(claimed, now, cancellationToken));

    public Task<bool> RescheduleAsync(ClaimedEvent claimed, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        Settle(claimed, () => inner.RescheduleAsync(claimed, nextAttemptAt, error, cancellationToken));

    public Task<bool> MarkDeadAsync(ClaimedEvent claimed, DateTimeOffset now, string error, CancellationToken cancellationToken) =>
        Settle(claimed, () => inner.MarkDeadAsync(claimed, now, error, cancellationToken));

    public Task<bool> ReleaseAsync(ClaimedEvent claimed, DateTimeOffset now, CancellationToken cancellationToken) =>
        Settle(claimed, () => inner.ReleaseAsync(claimed, now, cancellationToken));

    public Task<InboxEntry?> FindAsync(long id, CancellationToken cancellationToken) => Alive(() => inner.FindAsync(id, cancellationToken));

    public Task PingAsync(CancellationToken cancellationToken) => Alive(() => inner.PingAsync(cancellationToken));

    public Task<IReadOnlyList<InboxSummary>> ListAsync(InboxQuery query, CancellationToken cancellationToken) =>
        Alive(() => inner.ListAsync(query, cancellationToken));

    public Task<int> ReplayAsync(InboxSelection selection, DateTimeOffset now, CancellationToken cancellationToken) =>
        Alive(() => inner.ReplayAsync(selection, now, cancellationToken));

    public Task<int> DeleteAsync(string status, DateTimeOffset before, CancellationToken cancellationToken) =>
        Alive(() => inner.DeleteAsync(status, before, cancellationToken));

    public Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken) =>
        Alive(() => inner.CountByStatusAsync(cancellationToken));

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private async Task<bool> Settle(ClaimedEvent claimed, Func<Task<bool>> settle)
    {
        var held = await Alive(settle);
        _held.TryRemove(claimed.Id, out _);
        return held;
    }

    private Task<T> Alive<T>(Func<Task<T>> call) =>
        _crashed.Task.IsCompleted ? Task.FromException<T>(new InvalidOperationException("This host has crashed.")) : call();

    private Task Alive(Func<Task> call) =>
        _crashed.Task.IsCompleted ? Task.FromException(new InvalidOperationException("This host has crashed.")) : call();
}
