using System.Collections.Concurrent;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Records every notification the dispatcher publishes, in order, and can fail or block on
/// demand. Registered the way an application registers its handlers.
/// </summary>
public sealed class RecordingHandler :
    INotificationHandler<ZoomEventReceived>,
    INotificationHandler<MeetingStarted>,
    INotificationHandler<MeetingEnded>,
    INotificationHandler<ParticipantJoined>,
    INotificationHandler<ParticipantLeft>
{
    private readonly ConcurrentQueue<INotification> _received = new();

    /// <summary>Runs before each generic notification is recorded; throw to fail the publish.</summary>
    public Func<ZoomEventReceived, CancellationToken, Task>? OnGeneric { get; set; }

    public IReadOnlyList<INotification> Received => [.. _received];

    /// <summary>A handler that never finishes until cancelled; the task completes when it is entered.</summary>
    public static (RecordingHandler Handler, Task Entered) Stuck()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            OnGeneric = async (_, ct) =>
            {
                entered.TrySetResult();
                await new TaskCompletionSource().Task.WaitAsync(ct);
            },
        };
        return (handler, entered.Task);
    }

    public IReadOnlyList<ZoomEventReceived> Generic => [.. _received.OfType<ZoomEventReceived>()];

    public static RecordingHandler AddTo(IServiceCollection services, RecordingHandler handler)
    {
        services.AddSingleton<INotificationHandler<ZoomEventReceived>>(handler);
        services.AddSingleton<INotificationHandler<MeetingStarted>>(handler);
        services.AddSingleton<INotificationHandler<MeetingEnded>>(handler);
        services.AddSingleton<INotificationHandler<ParticipantJoined>>(handler);
        services.AddSingleton<INotificationHandler<ParticipantLeft>>(handler);
        return handler;
    }

    public Task<IReadOnlyList<ZoomEventReceived>> WaitForGenericAsync(int count, TimeSpan? timeout = null) =>
        Eventually.Until(() => Task.FromResult(Generic), g => g.Count >= count, timeout, $"{count} events dispatched");

    public async Task Handle(ZoomEventReceived notification, CancellationToken cancellationToken)
    {
        if (OnGeneric is { } hook)
        {
            await hook(notification, cancellationToken);
        }

        _received.Enqueue(notification);
    }

    public Task Handle(MeetingStarted notification, CancellationToken cancellationToken) => Record(notification);

    public Task Handle(MeetingEnded notification, CancellationToken cancellationToken) => Record(notification);

    public Task Handle(ParticipantJoined notification, CancellationToken cancellationToken) => Record(notification);

    public Task Handle(ParticipantLeft notification, CancellationToken cancellationToken) => Record(notification);

    private Task Record(INotification notification)
    {
        _received.Enqueue(notification);
        return Task.CompletedTask;
    }
}
