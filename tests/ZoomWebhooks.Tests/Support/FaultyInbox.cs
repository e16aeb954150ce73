using System.Reflection;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// A real inbox whose chosen operations fail as a full disk or a lost database would; the rest
/// pass through. A proxy, so it keeps up with the interface by itself.
/// </summary>
public class FaultyInbox : DispatchProxy
{
    private IInbox _inner = null!;
    private HashSet<string> _failing = [];
    private int _calls;

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

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (_failing.Contains(targetMethod!.Name))
        {
            Interlocked.Increment(ref _calls);
            throw new IOException("disk I/O error (simulated)");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
