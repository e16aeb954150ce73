using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ZoomWebhooks.Admin;
using ZoomWebhooks.Events;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// Meeting activity: the store the projection handlers write to, and the read API behind the
/// admin key. A meeting UUID may hold '/', so clients encode it (%2F, or Zoom's own double
/// encoding %252F); the route decodes what the server left encoded.
/// </summary>
internal static partial class MeetingsEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void AddMeetingActivity(IServiceCollection services)
    {
        services.AddOptions<MeetingsOptions>().BindConfiguration(MeetingsOptions.SectionName);
        // On the process's one InboxDatabase (see InboxSetup): no pool or writer of its own.
        services.AddSingleton<MeetingStore>();
        services.AddHandler<RecordMeetingFacts>();
        services.AddHandler<ForgetHostedMeetings>();
        services.AddAdminKey();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var meetings = app.MapAdminGroup("/api/meetings");
        meetings.MapGet("/", ListAsync);
        meetings.MapGet("/{uuid}", GetAsync);
        meetings.MapGet("/{uuid}/attendance", AttendanceAsync);
    }

    public static async Task<Results<Ok<MeetingPage>, ProblemHttpResult>> ListAsync(
        [AsParameters] MeetingServices services, string? status, DateTimeOffset? since, int? limit, CancellationToken cancellationToken)
    {
        if (status is not null and not (MeetingSummary.Live or MeetingSummary.Ended))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "status must be live or ended.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"limit must be between 1 and {MaxLimit}.");
        }

        var items = await services.Store.ListAsync(status, since, limit ?? DefaultLimit, cancellationToken);
        Log.Listed(services.Logger, items.Count, status);
        return TypedResults.Ok(new MeetingPage(items));
    }

    public static async Task<Results<Ok<MeetingDetail>, NotFound>> GetAsync(
        [AsParameters] MeetingServices services, string uuid, CancellationToken cancellationToken)
    {
        var detail = await services.Store.FindAsync(Decode(uuid), cancellationToken);
        Log.Read(services.Logger, Decode(uuid), detail is not null);
        return detail is null ? TypedResults.NotFound() : TypedResults.Ok(detail);
    }

    /// <summary>The participants as JSON, or with <c>Accept: text/csv</c> one row per stay for a spreadsheet.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ParticipantAttendance>>, FileContentHttpResult, NotFound>> AttendanceAsync(
        [AsParameters] MeetingServices services, HttpRequest request, string uuid, CancellationToken cancellationToken)
    {
        var detail = await services.Store.FindAsync(Decode(uuid), cancellationToken);
        Log.Read(services.Logger, Decode(uuid), detail is not null);
        if (detail is null)
        {
            return TypedResults.NotFound();
        }

        return WantsCsv(request)
            ? TypedResults.File(AttendanceCsv.Write(detail), "text/csv; charset=utf-8", AttendanceCsv.FileName(detail.Meeting))
            : TypedResults.Ok(detail.Participants);
    }

    private static bool WantsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

    // Kestrel decodes a path except %2F; a UUID never holds '%' itself, so one unescape is safe.
    internal static string Decode(string uuid) => uuid.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(uuid) : uuid;

    public sealed record MeetingPage(IReadOnlyList<MeetingSummary> Items);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Read API listed {Count} meetings (status {Status})")]
        public static partial void Listed(ILogger logger, int count, string? status);

        [LoggerMessage(Level = LogLevel.Information, Message = "Read API read meeting {MeetingUuid} (found: {Found})")]
        public static partial void Read(ILogger logger, string meetingUuid, bool found);
    }
}

/// <summary>What the meeting endpoints need, bound by minimal APIs.</summary>
internal sealed record MeetingServices(MeetingStore Store, ILogger<MeetingServices> Logger);
