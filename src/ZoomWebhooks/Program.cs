using Serilog;
using ZoomWebhooks.Admin;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Health;
using ZoomWebhooks.Hosting;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Logging;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Metrics;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Webhooks;

Log.Logger = LoggingSetup.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceLogging();
    builder.AddServerLimits();
    builder.Services.AddTrustedProxies();
    builder.Services.AddProblemDetails();
    builder.Services.AddZoomConfiguration();
    builder.Services.AddInbox();
    builder.Services.AddMeetingNotifications();
    builder.Services.AddMeetings();
    builder.Services.AddZoomOAuth();
    builder.Services.AddInboxDispatcher();
    builder.Services.AddServiceHealth();
    builder.Services.AddServiceMetrics();
    builder.Services.AddAdminApi();

    var app = builder.Build();
    app.UseTrustedProxies();
    app.UseRequestCompletionLog();
    app.MapZoomWebhooks();
    app.MapServiceHealth();
    app.MapServiceMetrics();
    app.MapAdminApi();
    app.MapMeetingsApi();
    app.MapZoomOAuth();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.Describe(ex) is { } reason)
{
    Log.Fatal("Start-up refused: {Reason}", reason);
    return 1;
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "The service stopped unexpectedly");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

public partial class Program;
