using System.Collections.Concurrent;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Counts what handlers see, per inbox id, across every host that shares it; and checks that no
/// two events of one meeting (or, with <see cref="ByParticipant"/>, of one participant of a
/// meeting) are ever handled at the same moment.
/// </summary>
public sealed class DispatchCounter
{
    private readonly ConcurrentDictionary<long, int> _counts = new();
    private readonly ConcurrentQueue<(string Host, long InboxId)> _handled = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private int _overlaps;

    public IReadOnlyDictionary<long, int> Counts => _counts;

    public int Total => _counts.Values.Sum();

    /// <summary>Which host handled which event, in the order they finished.</summary>
    public IReadOnlyCollection<(string Host, long InboxId)> Handled => _handled;

    /// <summary>Overlaps are counted per meeting and participant (Inbox:Ordering=Participant), not per meeting.</summary>
    public bool ByParticipant { get; init; }

    /// <summary>Times an event was handled while another of its meeting (or participant) was being handled.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    /// <summary>Called by the handler; a test may add its own behaviour on top (a crash, a pause).</summary>
    public Func<string, ZoomEventReceived, CancellationToken, Task>? OnEvent { get; set; }

    /// <summary>Adds the counting handler to one host; <paramref name="host"/> names it in <see cref="Handled"/>.</summary>
    public static void Register(IServiceCollection services, DispatchCounter counter, string host = "host")
    {
        services.AddSingleton(new Handler(counter, host));
        services.AddTransient<INotificationHandler<ZoomEventReceived>>(sp => sp.GetRequiredService<Handler>());
    }

    private async Task HandleAsync(string host, ZoomEventReceived notification, CancellationToken cancellationToken)
    {
        var meeting = ByParticipant ? ParticipantKey(notification.RawJson) : MeetingUuid(notification.RawJson);
        if (meeting is not null && _inFlight.AddOrUpdate(meeting, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }

        try
        {
            // Yield so that a second event of the meeting, wrongly handed out, has time to overlap.
            await Task.Yield();
            if (OnEvent is { } onEvent)
            {
                await onEvent(host, notification, cancellationToken);
            }

            _counts.AddOrUpdate(notification.InboxId, 1, (_, n) => n + 1);
            _handled.Enqueue((host, notification.InboxId));
        }
        finally
        {
            if (meeting is not null)
            {
                _inFlight.AddOrUpdate(meeting, 0, (_, n) => n - 1);
            }
        }
    }

    private static string? MeetingUuid(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("payload", out var payload)
               && payload.TryGetProperty("object", out var meeting)
               && meeting.TryGetProperty("uuid", out var uuid)
            ? uuid.GetString()
            : null;
    }

    /// <summary>The meeting and the participant's key (participant_uuid, else user_id, else the name), as Inbox:Ordering=Participant orders them.</summary>
    private static string? ParticipantKey(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("payload", out var payload) || !payload.TryGetProperty("object", out var meeting)
            || !meeting.TryGetProperty("uuid", out var uuid))
        {
            return null;
        }

        if (!meeting.TryGetProperty("participant", out var participant))
        {
            return uuid.GetString();
        }

        string? Field(string name) => participant.TryGetProperty(name, out var v) && v.GetString() is { Length: > 0 } text ? text : null;
        return $"{uuid.GetString()}|{Field("participant_uuid") ?? Field("user_id") ?? Field("user_name")}";
    }

    private sealed class Handler(DispatchCounter counter, string host) : INotificationHandler<ZoomEventReceived>
    {
        public Task Handle(ZoomEventReceived notification, CancellationToken cancellationToken) =>
            counter.HandleAsync(host, notification, cancellationToken);
    }
}
