using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Templates;

namespace ZoomWebhooks.Logging;

/// <summary>
/// Serilog: compact JSON lines on stdout in Production (one object per line, for log shippers),
/// readable text in Development, with control characters escaped (a terminal would obey them).
/// Levels come from the <c>Serilog</c> configuration section.
/// </summary>
public static class LoggingSetup
{
    private const string DevelopmentTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    // The request line in Development also shows the webhook's outcome, which the message omits.
    private const string DevelopmentExpression =
        "[{@t:HH:mm:ss} {@l:u3}] {@m}" +
        "{#if StatusCode is not null and ZoomEvent is not null} [{ZoomEvent}]{#end}" +
        "{#if StatusCode is not null and Outcome is not null} {Outcome}{#end}" +
        "{#if Reason is not null} ({Reason}){#end}\n{@x}";

    /// <summary>Logs what happens before configuration is read, such as a refused start.</summary>
    public static Logger CreateBootstrapLogger() =>
        new LoggerConfiguration().WriteTo.Console(new ControlCharacterEscaping(new MessageTemplateTextFormatter(DevelopmentTemplate))).CreateLogger();

    public static WebApplicationBuilder AddServiceLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration)
                    // The request line is UseRequestCompletionLog's, path only. ASP.NET Core's own
                    // request lines print the query string, and an OAuth callback's holds Zoom's
                    // authorization code: keep them off whatever the Microsoft level is.
                    .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", LogEventLevel.Warning)
                    .ReadFrom.Services(services)
                    .Enrich.FromLogContext();
                if (development)
                {
                    logger.WriteTo.Console(DevelopmentFormatter());
                }
                else
                {
                    logger.WriteTo.Console(new RenderedCompactJsonFormatter());
                }
            },
            // Each host gets its own pipeline; the static logger stays the bootstrap one, so several
            // hosts in one process (tests) do not fight over it.
            preserveStaticLogger: true);
        // The receiver's request properties go into Serilog's diagnostic context, and so onto
        // the request-completion line below.
        builder.Services.AddSingleton<IZoomRequestDiagnostics, SerilogRequestDiagnostics>();
        return builder;
    }

    /// <summary>The Development console: readable lines, with what senders typed escaped (<see cref="ControlCharacterEscaping"/>).</summary>
    internal static ITextFormatter DevelopmentFormatter() => new ControlCharacterEscaping(new ExpressionTemplate(DevelopmentExpression));

    /// <summary>
    /// One line per request when it completes, carrying what the endpoint put in the diagnostic
    /// context (<c>ZoomEvent</c>, <c>ZoomRequestId</c>, <c>Outcome</c>, <c>Reason</c>) beside
    /// <c>StatusCode</c> and <c>ElapsedMs</c>.
    /// </summary>
    public static IApplicationBuilder UseRequestCompletionLog(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // The host's logger, not the static one: that stays the bootstrap logger (see AddServiceLogging).
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {ElapsedMs:0.0} ms";
            options.GetMessageTemplateProperties = (context, path, elapsedMs, statusCode) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(path)),
                new LogEventProperty("StatusCode", new ScalarValue(statusCode)),
                new LogEventProperty("ElapsedMs", new ScalarValue(Math.Round(elapsedMs, 3))),
            ];
            options.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });

    private sealed class SerilogRequestDiagnostics(IDiagnosticContext context) : IZoomRequestDiagnostics
    {
        public void Set(string propertyName, object? value) => context.Set(propertyName, value);
    }
}
