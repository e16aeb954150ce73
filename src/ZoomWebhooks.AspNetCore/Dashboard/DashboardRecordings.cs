using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Dashboard.Pages;
using ZoomWebhooks.Recordings;
using static ZoomWebhooks.Dashboard.DashboardEndpoints;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// The recordings page (mapped only with <c>AddRecordings()</c>): the download jobs newest first,
/// a page at a time through an index, and Retry for a failed one, which is the read API's retry
/// (<see cref="RecordingsEndpoints.RetryAsync"/>). A job's download token and URL never reach the page.
/// </summary>
internal static class DashboardRecordings
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder pages, RouteGroupBuilder actions)
    {
        pages.MapGet("/recordings", ListAsync);
        actions.MapPost("/recordings/{fileId}/retry", RetryAsync);
    }

    public static async Task<IResult> ListAsync(
        HttpContext http, RecordingStore store, IOptions<RecordingsOptions> options, TimeProvider time, string? status, long? beforeAt, string? beforeId, int? retried,
        CancellationToken cancellationToken)
    {
        status = status is not null && RecordingStatus.All.Contains(status) ? status : null;
        var jobs = await store.PageAsync(status, beforeAt, beforeId, PageSize + 1, cancellationToken);
        var rows = jobs.Take(PageSize).Select(RecordingRow.From).ToList();
        var next = jobs.Count > PageSize ? rows[^1] : null;
        return Render<RecordingsPage>(http, new RecordingsModel(options.Value.Enabled, status, rows, beforeAt is not null, next, retried, time.GetUtcNow()));
    }

    public static async Task<IResult> RetryAsync([AsParameters] RecordingServices services, string fileId, CancellationToken cancellationToken) =>
        (await RecordingsEndpoints.RetryAsync(services, fileId, cancellationToken)).Result switch
        {
            Ok<RecordingsEndpoints.RetryResult> => Results.Redirect($"{Prefix}/recordings?retried=1"),
            NotFound => Results.NotFound(),
            _ => Results.Redirect($"{Prefix}/recordings?retried=0"),
        };
}

/// <summary>What the page shows of a job: its summary as the read API lists it (no token, no URL), its meeting's topic and the file's extension.</summary>
internal sealed record RecordingRow(RecordingSummary Job, string? Topic, string? Extension)
{
    public static RecordingRow From(RecordingJob job) => new(RecordingSummary.From(job), job.File.Meeting.Topic, job.File.FileExtension);

    public string? Size => (Job.Bytes ?? Job.Size) is { } bytes ? Show.Bytes(bytes) : null;
}

internal sealed record RecordingsModel(
    bool Enabled, string? Status, IReadOnlyList<RecordingRow> Rows, bool Paged, RecordingRow? Next, int? Retried, DateTimeOffset Now)
{
    /// <summary>The same filter from another cursor (the last row of this page), or from the newest.</summary>
    public string Link(RecordingRow? after)
    {
        var query = new StringBuilder("/dashboard/recordings?");
        if (Status is not null)
        {
            query.Append("status=").Append(Status).Append('&');
        }

        if (after is not null)
        {
            query.Append("beforeAt=").Append(after.Job.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .Append("&beforeId=").Append(Uri.EscapeDataString(after.Job.FileId));
        }

        return query.ToString().TrimEnd('&', '?');
    }
}
