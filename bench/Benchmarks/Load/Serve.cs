using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZoomWebhooks.Benchmarks.Load;

/// <summary>
/// The library as the service hosts it (the meeting handlers, the event log, metrics), plus a
/// handler that takes <c>BENCH_HANDLER_MS</c> per event, as one calling another service would:
/// the one-webinar storm's second run. Configured like the service, by environment variables.
/// </summary>
internal static class Serve
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        builder.AddZoomWebhooks().AddEventLog().AddMeetingActivity().AddMetricsEndpoint();
        builder.Services.AddTransient<INotificationHandler<ZoomEventReceived>, RemoteCallHandler>();
        var app = builder.Build();
        app.MapZoomWebhooks();
        await app.RunAsync();
        return 0;
    }

    private sealed class RemoteCallHandler(IConfiguration configuration) : INotificationHandler<ZoomEventReceived>
    {
        private readonly TimeSpan _delay = TimeSpan.FromMilliseconds(configuration.GetValue("BENCH_HANDLER_MS", 20));

        public Task Handle(ZoomEventReceived notification, CancellationToken cancellationToken) => Task.Delay(_delay, cancellationToken);
    }
}
