using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Admin;

/// <summary>
/// The operator's view of the inbox: list and read events, replay failures, purge what is no
/// longer wanted. Every call is logged with what it did.
/// </summary>
internal static partial class AdminEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void AddAdminApi(IServiceCollection services) => services.AddAdminKey();

    /// <summary>
    /// The admin key (<c>Admin</c> section) and its lockout, once per app: the read API of other
    /// features (meeting activity) sits behind the same key.
    /// </summary>
    public static IServiceCollection AddAdminKey(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(AdminKeyFilter.Lockout)))
        {
            return services;
        }

        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName)
            .Validate(
                admin => string.IsNullOrEmpty(admin.ApiKey) || admin.ApiKey.Length >= AdminOptions.MinimumKeyLength,
                $"Admin:ApiKey is shorter than {AdminOptions.MinimumKeyLength} characters: use a random key " +
                "(for example `openssl rand -base64 32`), or leave it empty to keep the admin API off.")
            .ValidateOnStart();
        services.AddSingleton<AdminKeyFilter.Lockout>();
        return services;
    }

    /// <summary>
    /// A route group behind the admin key; the read API of other features uses it too. The key is
    /// its credential, so the app's authorization policy does not apply to it.
    /// </summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).AddEndpointFilter<AdminKeyFilter>().AllowAnonymous();

    public static void Map(IEndpointRouteBuilder app)
    {
        var events = app.MapAdminGroup("/admin/events");
        events.MapGet("/", ListAsync);
        events.MapGet("/{id:long}", GetAsync);
        events.MapPost("/{id:long}/replay", ReplayOneAsync);
        events.MapPost("/replay", ReplayManyAsync);
        events.MapDelete("/", PurgeAsync);
    }

    public static async Task<Results<Ok<EventPage>, ProblemHttpResult>> ListAsync(
        [AsParameters] AdminServices services,
        string? status,
        [FromQuery(Name = "event")] string? eventName,
        DateTimeOffset? since,
        long? before,
        int? limit,
        CancellationToken cancellationToken)
    {
        if (status is not null && !InboxStatus.All.Contains(status))
        {
            return BadRequest($"status must be one of {string.Join(", ", InboxStatus.All)}.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return BadRequest($"limit must be between 1 and {MaxLimit}.");
        }

        var take = limit ?? DefaultLimit;
        var items = await services.Inbox.ListAsync(new InboxQuery(status, eventName, since, before, take), cancellationToken);
        Log.Listed(services.Logger, items.Count, status, eventName);
        return TypedResults.Ok(new EventPage(items, items.Count == take ? items[^1].Id : null));
    }

    public static async Task<Results<Ok<EventDetail>, NotFound>> GetAsync(
        [AsParameters] AdminServices services, long id, CancellationToken cancellationToken)
    {
        var entry = await services.Inbox.FindAsync(id, cancellationToken);
        Log.Read(services.Logger, id, entry is not null);
        return entry is null ? TypedResults.NotFound() : TypedResults.Ok(EventDetail.From(entry));
    }

    public static async Task<Results<Ok<ReplayResult>, NotFound, ProblemHttpResult>> ReplayOneAsync(
        [AsParameters] AdminServices services, long id, CancellationToken cancellationToken)
    {
        var entry = await services.Inbox.FindAsync(id, cancellationToken);
        if (entry is null)
        {
            return TypedResults.NotFound();
        }

        if (!InboxStatus.IsFinished(entry.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: $"Event {id} is {entry.Status}; only done or dead events can be replayed.");
        }

        var replayed = await services.Inbox.ReplayAsync(new InboxSelection(id, null, null), services.Time.GetUtcNow(), cancellationToken);
        services.Signal.Notify();
        Log.Replayed(services.Logger, replayed, id.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
        return TypedResults.Ok(new ReplayResult(replayed));
    }

    public static async Task<Results<Ok<ReplayResult>, ProblemHttpResult>> ReplayManyAsync(
        [AsParameters] AdminServices services,
        string? status,
        [FromQuery(Name = "event")] string? eventName,
        CancellationToken cancellationToken)
    {
        status ??= InboxStatus.Dead;
        if (!InboxStatus.IsFinished(status))
        {
            return BadRequest("status must be dead or done.");
        }

        var replayed = await services.Inbox.ReplayAsync(new InboxSelection(null, status, eventName), services.Time.GetUtcNow(), cancellationToken);
        services.Signal.Notify();
        Log.Replayed(services.Logger, replayed, status, eventName);
        return TypedResults.Ok(new ReplayResult(replayed));
    }

    public static async Task<Results<Ok<PurgeResult>, ProblemHttpResult>> PurgeAsync(
        [AsParameters] AdminServices services, string? status, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        if (!InboxStatus.IsFinished(status) || before is null)
        {
            return BadRequest("status (dead or done) and before (an ISO 8601 time) are required.");
        }

        var deleted = await services.Inbox.DeleteAsync(status!, before.Value, cancellationToken);
        Log.Purged(services.Logger, deleted, status!, before.Value);
        return TypedResults.Ok(new PurgeResult(deleted));
    }

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: detail);

    public sealed record EventPage(IReadOnlyList<InboxSummary> Items, long? NextBefore);

    public sealed record ReplayResult(int Replayed);

    public sealed record PurgeResult(int Deleted);

    /// <summary>One event with its raw body, as received (the body is JSON text), and how it came: <c>webhook</c> or <c>websocket</c>.</summary>
    public sealed record EventDetail(InboxSummary Event, string BodyHash, string? TrackingId, string Body, string Transport)
    {
        public static EventDetail From(InboxEntry e) => new(
            new InboxSummary(e.Id, e.EventName, e.EventTs, e.MeetingUuid, e.RequestId, e.ReceivedAt, e.Status, e.Attempts,
                e.NextAttemptAt, e.LastError, e.CompletedAt),
            e.BodyHash, e.TrackingId, Encoding.UTF8.GetString(e.Body), e.Transport);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Admin listed {Count} events (status {Status}, event {ZoomEvent})")]
        public static partial void Listed(ILogger logger, int count, string? status, string? zoomEvent);

        [LoggerMessage(Level = LogLevel.Information, Message = "Admin read event {InboxId} (found: {Found})")]
        public static partial void Read(ILogger logger, long inboxId, bool found);

        [LoggerMessage(Level = LogLevel.Information, Message = "Admin replayed {Count} events ({Selection}, event {ZoomEvent})")]
        public static partial void Replayed(ILogger logger, int count, string selection, string? zoomEvent);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin purged {Count} {Status} events finished before {Before}")]
        public static partial void Purged(ILogger logger, int count, string status, DateTimeOffset before);
    }
}

/// <summary>What the admin endpoints need, bound by minimal APIs.</summary>
internal sealed record AdminServices(IInbox Inbox, DispatchSignal Signal, TimeProvider Time, ILogger<AdminServices> Logger);
