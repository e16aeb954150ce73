using ZoomWebhooks.Events;

namespace ZoomWebhooks.EventLog;

/// <summary>The shipped log-only handlers: one information line per typed meeting event.</summary>
internal static class EventLogSetup
{
    public static void AddEventLog(IServiceCollection services)
    {
        services.AddHandler<LogMeetingStarted>();
        services.AddHandler<LogMeetingEnded>();
        services.AddHandler<LogParticipantJoined>();
        services.AddHandler<LogParticipantLeft>();
    }
}
