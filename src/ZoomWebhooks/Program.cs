using Serilog;
using ZoomWebhooks;
using ZoomWebhooks.Hosting;
using ZoomWebhooks.Logging;

// The library's receiver with every feature on, plus the host's own choices (README, "Use it as a package").
Log.Logger = LoggingSetup.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceLogging();
    builder.AddServerLimits();
    builder.Services.AddTrustedProxies();
    builder.AddZoomWebhooks().AddEventLog().AddMeetingActivity().AddZoomOAuth().AddZoomWebSocket()
        .AddRecordings().AddAdminApi().AddDashboard().AddHealthEndpoints().AddMetricsEndpoint().AddOpenTelemetry();

    var app = builder.Build();
    app.UseTrustedProxies();
    app.UseRequestCompletionLog();
    app.MapZoomWebhooks();
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
