using System.Reflection;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// A real inbox whose chosen operations fail as a full disk or a lost database would; the rest
/// pass through. A proxy, so it keeps up with the interface by itself.
/// </summary>
internal class FaultyInbox : DispatchProxy
{
    private IInbox _inner = null!;
    private HashSet<string> _failing = [];
    private bool _hang;
    private int _calls;

    /// <summary>While false the chosen operations pass through too: the store is back.</summary>
    public bool Failing { get; set; } = true;

    /// <summary>How many calls hit a failing operation.</summary>
    public int FailedCalls => _calls;

    public static (IInbox Inbox, FaultyInbox Faults) Wrap(IInbox inner, params string[] failingOperations)
    {
        var inbox = Create<IInbox, FaultyInbox>();
        var faults = (FaultyInbox)(object)inbox;
        faults._inner = inner;
        faults._failing = [.. failingOperations];
        return (inbox, faults);
    }

    /// <summary>The chosen operations never finish until their cancellation token fires: a store that hangs.</summary>
    public static (IInbox Inbox, FaultyInbox Faults) Hanging(IInbox inner, params string[] hangingOperations)
    {
        var wrapped = Wrap(inner, hangingOperations);
        wrapped.Faults._hang = true;
        return wrapped;
    }

    private static Task<T> HangAsync<T>(CancellationToken cancellationToken) =>
        new TaskCompletionSource<T>().Task.WaitAsync(cancellationToken);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (Failing && _failing.Contains(targetMethod!.Name))
        {
            Interlocked.Increment(ref _calls);
            if (!_hang)
            {
                throw new IOException("disk I/O error (simulated)");
            }

            var token = args!.OfType<CancellationToken>().Single();
            var result = targetMethod.ReturnType.GetGenericArguments().Single();
            return typeof(FaultyInbox).GetMethod(nameof(HangAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(result).Invoke(null, [token]);
        }

        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
