using System.Collections.Concurrent;
using System.Diagnostics;
using MediatR;
using ZoomWebhooks.Telemetry;

namespace ZoomWebhooks.Events;

/// <summary>
/// One span per handler. MediatR 5.1 publishes to the handlers its <see cref="ServiceFactory"/>
/// returns for <c>IEnumerable&lt;INotificationHandler&lt;T&gt;&gt;</c> and wraps each call in a
/// closure that names no handler, so the factory hands out each handler wrapped in a
/// <see cref="TracedHandler{T}"/>. Only while someone listens to the receiver's source: otherwise
/// the handlers come back as resolved.
/// </summary>
internal static class HandlerTracing
{
    /// <summary>Per service type: how to wrap its handlers, or null when it is not a handler list.</summary>
    private static readonly ConcurrentDictionary<Type, Func<object, object>?> Wrappers = new();

    public static object Resolve(IServiceProvider provider, Type serviceType)
    {
        var service = provider.GetRequiredService(serviceType);
        if (!Tracing.Source.HasListeners())
        {
            return service;
        }

        var wrap = Wrappers.GetOrAdd(serviceType, WrapperFor);
        return wrap is null ? service : wrap(service);
    }

    private static Func<object, object>? WrapperFor(Type serviceType)
    {
        if (!serviceType.IsGenericType || serviceType.GetGenericTypeDefinition() != typeof(IEnumerable<>))
        {
            return null;
        }

        var handler = serviceType.GetGenericArguments()[0];
        if (!handler.IsGenericType || handler.GetGenericTypeDefinition() != typeof(INotificationHandler<>))
        {
            return null;
        }

        var traced = typeof(TracedHandler<>).MakeGenericType(handler.GetGenericArguments()[0]);
        return traced.GetMethod(nameof(TracedHandler<INotification>.WrapAll))!.CreateDelegate<Func<object, object>>();
    }
}

/// <summary>Runs one handler inside a <c>zoomwebhooks.handle</c> span named after it.</summary>
internal sealed class TracedHandler<T>(INotificationHandler<T> inner) : INotificationHandler<T>
    where T : INotification
{
    public static object WrapAll(object handlers) =>
        ((IEnumerable<INotificationHandler<T>>)handlers).Select(INotificationHandler<T> (h) => new TracedHandler<T>(h)).ToArray();

    public async Task Handle(T notification, CancellationToken cancellationToken)
    {
        using var activity = Tracing.Source.StartActivity(Tracing.Handle);
        if (activity is not null)
        {
            var handler = inner.GetType();
            activity.DisplayName = $"{Tracing.Handle} {handler.Name}";
            activity.SetTag(Tracing.Handler, handler.FullName).SetTag(Tracing.Notification, typeof(T).Name);
        }

        try
        {
            await inner.Handle(notification, cancellationToken);
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.Failed(ex);
            throw;
        }
    }
}
