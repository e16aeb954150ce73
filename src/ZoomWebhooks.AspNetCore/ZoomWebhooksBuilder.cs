using ZoomWebhooks.Admin;
using ZoomWebhooks.Dashboard;
using ZoomWebhooks.EventLog;
using ZoomWebhooks.Health;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Metrics;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Telemetry;
using ZoomWebhooks.WebSockets;

namespace ZoomWebhooks;

/// <summary>
/// The optional features of the receiver, returned by
/// <see cref="ZoomWebhooksExtensions.AddZoomWebhooks"/>. Each call turns one on; calling one twice
/// changes nothing. Routes are mapped by <see cref="ZoomWebhooksExtensions.MapZoomWebhooks"/>.
/// </summary>
public sealed class ZoomWebhooksBuilder
{
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);

    internal ZoomWebhooksBuilder(IHostApplicationBuilder host) => Host = host;

    /// <summary>The app's services.</summary>
    public IServiceCollection Services => Host.Services;

    internal IHostApplicationBuilder Host { get; }

    /// <summary>
    /// Meeting activity: every meeting event becomes a fact in the inbox's database, and
    /// <c>/api/meetings</c> (behind <c>Admin:ApiKey</c>) answers who attended, as JSON or CSV.
    /// Options: the <c>Meetings</c> section.
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddMeetingActivity() => Add(nameof(AddMeetingActivity), MeetingsEndpoints.AddMeetingActivity, MeetingsEndpoints.Map);

    /// <summary>
    /// App authorization: <c>/zoom/login</c> and its callback store each user's tokens, encrypted,
    /// and <see cref="IZoomTokens"/> gives handlers a fresh access token. Options: <c>Zoom:OAuth</c>,
    /// <c>DataProtection:KeysPath</c>.
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddZoomOAuth() => Add(nameof(AddZoomOAuth), OAuthEndpoints.AddZoomOAuth, OAuthEndpoints.Map);

    /// <summary>
    /// The admin API under <c>/admin/events</c>: list, read, replay and purge inbox events, behind
    /// the bearer <c>Admin:ApiKey</c> (absent: the routes answer 404).
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddAdminApi() => Add(nameof(AddAdminApi), AdminEndpoints.AddAdminApi, AdminEndpoints.Map);

    /// <summary>
    /// The operations dashboard under <c>/dashboard</c>: the inbox by status, activity per minute,
    /// failures with their errors and replay, one event's story, and each meeting's attendance as a
    /// timeline. Behind a login with <c>Admin:ApiKey</c> (absent: the pages answer 404).
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddDashboard() => Add(nameof(AddDashboard), DashboardEndpoints.AddDashboard, DashboardEndpoints.Map);

    /// <summary>
    /// Cloud recordings: every file of <c>recording.completed</c> and <c>recording.transcript_completed</c>
    /// is downloaded once, in the background, to <c>Recordings:Path</c>, then
    /// <see cref="RecordingFileDownloaded"/> is published; <c>/api/recordings</c> (behind
    /// <c>Admin:ApiKey</c>) lists the jobs and retries a failed one. Does nothing until
    /// <c>Recordings:Path</c> is set. Options: the <c>Recordings</c> section.
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddRecordings() => Add(nameof(AddRecordings), RecordingsEndpoints.AddRecordings, RecordingsEndpoints.Map);

    /// <summary>One information line per typed meeting event, written through <c>ILogger</c>.</summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddEventLog() => Add(nameof(AddEventLog), EventLogSetup.AddEventLog, map: null);

    /// <summary><c>GET /health/live</c> and <c>GET /health/ready</c> (inbox, Secret Token, dispatcher).</summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddHealthEndpoints() => Add(nameof(AddHealthEndpoints), _ => { }, HealthEndpoints.Map);

    /// <summary><c>GET /metrics</c>: the receiver's metrics in Prometheus text format.</summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddMetricsEndpoint() => Add(nameof(AddMetricsEndpoint), _ => { }, MetricsEndpoints.Map);

    /// <summary>
    /// OpenTelemetry export: when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the receiver's spans and
    /// metrics (<see cref="ZoomWebhooksTelemetry"/>) with ASP.NET Core, HttpClient and Npgsql
    /// instrumentation go over OTLP, every delivery sampled unless <c>OTEL_TRACES_SAMPLER</c> and
    /// <c>OTEL_TRACES_SAMPLER_ARG</c> set a ratio. Unset: nothing is registered or exported. An app
    /// that configures OpenTelemetry itself adds the two names of <see cref="ZoomWebhooksTelemetry"/> instead.
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddOpenTelemetry() => Add(nameof(AddOpenTelemetry),
        services => TelemetrySetup.AddOpenTelemetryExport(services, Host.Configuration, Host.Environment.ApplicationName), map: null);

    /// <summary>
    /// Events over a Zoom WebSocket event subscription, stored in the same inbox as webhooks and
    /// dispatched the same way; one connection per subscription across receivers (a PostgreSQL
    /// lease). Inert unless <c>Zoom:WebSocket:Enabled</c>. Options: <c>Zoom:WebSocket</c>,
    /// <c>Zoom:Environments:{env}:AccountId</c>, <c>ClientId</c>, <c>ClientSecret</c>.
    /// </summary>
    /// <returns>This builder.</returns>
    public ZoomWebhooksBuilder AddZoomWebSocket() => Add(nameof(AddZoomWebSocket), WebSocketSetup.AddZoomWebSocket, map: null);

    private ZoomWebhooksBuilder Add(string feature, Action<IServiceCollection> register, Action<IEndpointRouteBuilder>? map)
    {
        if (_added.Add(feature))
        {
            register(Services);
            if (map is not null)
            {
                Services.AddSingleton(new FeatureEndpoints(feature, map));
            }
        }

        return this;
    }
}
