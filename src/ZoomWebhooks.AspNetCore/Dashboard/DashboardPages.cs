using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Dashboard.Pages;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Meetings;
using static ZoomWebhooks.Dashboard.DashboardEndpoints;

namespace ZoomWebhooks.Dashboard;

/// <summary>The GET pages: each loads its model (bounded, indexed reads) and renders its component.</summary>
internal static class DashboardPages
{
    public static async Task<IResult> OverviewAsync(
        HttpContext http, IOptionsMonitor<ZoomOptions> zoom, DashboardQueries queries, DashboardActivity activity,
        DispatcherHeartbeat heartbeat, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var options = zoom.CurrentValue;
        var model = new OverviewModel(
            options.ActiveEnvironment,
            options.Active?.ClientId,
            await queries.CountsAsync(cancellationToken),
            now,
            activity.LastUrlValidation,
            await queries.OldestDueAsync(now, cancellationToken),
            heartbeat.LastBeat,
            activity.Started,
            activity.Recent(DashboardActivity.Minutes));
        return Render<OverviewPage>(http, model);
    }

    public static async Task<IResult> EventsAsync(
        HttpContext http, DashboardQueries queries, TimeProvider time, string? status, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "event")] string? eventName,
        string? since, string? until, long? before, int? replayed, CancellationToken cancellationToken)
    {
        var filter = new EventFilter(
            InboxStatus.All.Contains(status) ? status : null,
            string.IsNullOrWhiteSpace(eventName) ? null : eventName.Trim(),
            Time(since), Time(until), before);
        var page = await queries.ListAsync(filter, cancellationToken);
        return Render<EventsPage>(http, new EventsModel(filter, since, until, page, replayed, time.GetUtcNow()));
    }

    public static async Task<IResult> EventAsync(
        HttpContext http, IInbox inbox, DashboardQueries queries, IOptionsMonitor<MeetingsOptions> meetings, TimeProvider time,
        long id, int? replayed, CancellationToken cancellationToken)
    {
        var entry = await inbox.FindAsync(id, cancellationToken);
        if (entry is null)
        {
            return Render<NotFoundPage>(http, "No event has this id.", StatusCodes.Status404NotFound);
        }

        var attempts = await queries.AttemptsAsync(id, cancellationToken);
        var emails = meetings.CurrentValue.StoreEmails;
        return Render<EventPage>(http, new EventModel(entry, attempts, BodyMask.Format(entry.Body, emails), emails, replayed, time.GetUtcNow()));
    }

    public static async Task<IResult> MeetingsAsync(HttpContext http, TimeProvider time, string? kind, CancellationToken cancellationToken)
    {
        kind = kind is MeetingKind.Meeting or MeetingKind.Webinar ? kind : null;
        if (http.RequestServices.GetService<MeetingStore>() is not { } store)
        {
            return Render<MeetingsPage>(http, new MeetingsModel(false, [], [], kind, time.GetUtcNow()));
        }

        var live = await store.ListAsync(MeetingSummary.Live, since: null, limit: 50, cancellationToken, kind);
        var ended = await store.ListAsync(MeetingSummary.Ended, since: null, limit: 50, cancellationToken, kind);
        return Render<MeetingsPage>(http, new MeetingsModel(true, live, ended, kind, time.GetUtcNow()));
    }

    public static async Task<IResult> MeetingAsync(HttpContext http, TimeProvider time, string uuid, CancellationToken cancellationToken)
    {
        var detail = http.RequestServices.GetService<MeetingStore>() is { } store
            ? await store.FindAsync(MeetingsEndpoints.Decode(uuid), cancellationToken)
            : null;
        if (detail is null)
        {
            return Render<NotFoundPage>(http, "No meeting has this UUID.", StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        return Render<MeetingPage>(http, new MeetingModel(detail, Svg.Timeline(detail, now), now));
    }

    /// <summary>The read API's CSV (<see cref="AttendanceCsv"/>), behind the session instead of the bearer key.</summary>
    public static async Task<IResult> AttendanceCsvAsync(HttpContext http, string uuid, CancellationToken cancellationToken)
    {
        var detail = http.RequestServices.GetService<MeetingStore>() is { } store
            ? await store.FindAsync(MeetingsEndpoints.Decode(uuid), cancellationToken)
            : null;
        return detail is null
            ? Results.NotFound()
            : Results.File(AttendanceCsv.Write(detail), "text/csv; charset=utf-8", AttendanceCsv.FileName(detail.Meeting));
    }

    // The form's datetime-local inputs send "2026-12-02T01:30", read as UTC (the pages show UTC).
    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}

internal sealed record OverviewModel(
    string Environment, string? ClientId, IReadOnlyList<StatusCount> Counts, DateTimeOffset Now, DateTimeOffset? LastUrlValidation,
    DateTimeOffset? OldestDue, DateTimeOffset LastBeat, DateTimeOffset Since, IReadOnlyList<MinuteCounts> Minutes);

internal sealed record EventsModel(EventFilter Filter, string? Since, string? Until, EventListPage Page, int? Replayed, DateTimeOffset Now)
{
    /// <summary>The same filters with another cursor.</summary>
    public string Link(long? before)
    {
        var query = new StringBuilder("/dashboard/events?");
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
            }
        }

        Add("status", Filter.Status);
        Add("event", Filter.EventName);
        Add("since", Since);
        Add("until", Until);
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return query.ToString().TrimEnd('&', '?');
    }
}

internal sealed record EventModel(
    InboxEntry Entry, IReadOnlyList<FailedAttempt> Attempts, string Body, bool EmailsShown, int? Replayed, DateTimeOffset Now);

/// <summary>The meetings page; <see cref="Kind"/> is the filter (<see cref="MeetingKind"/>), null for both.</summary>
internal sealed record MeetingsModel(
    bool Enabled, IReadOnlyList<MeetingSummary> Live, IReadOnlyList<MeetingSummary> Ended, string? Kind, DateTimeOffset Now);

internal sealed record MeetingModel(MeetingDetail Detail, string Timeline, DateTimeOffset Now);

/// <summary>How the pages write times and durations: UTC, and "how long ago".</summary>
internal static class Show
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

    public static string Ago(DateTimeOffset now, DateTimeOffset? then) => then is { } t ? Span(now - t) + " ago" : "never";

    public static string Span(TimeSpan span) => span.TotalSeconds < 0 ? "0s"
        : span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds}s"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s"
        : span.TotalDays < 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
        : $"{(int)span.TotalDays}d {span.Hours}h";

    public static string Count(StatusCount count) => count.Count.ToString("N0", CultureInfo.InvariantCulture) + (count.Capped ? "+" : "");

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string MeetingLink(string uuid) => "/dashboard/meetings/" + Uri.EscapeDataString(uuid);
}
