using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Admin;
using ZoomWebhooks.Dashboard.Pages;
using ZoomWebhooks.Dispatch;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Meetings;
using ZoomWebhooks.Recordings;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// The operations dashboard (issue 16): Razor components rendered on the server (static SSR,
/// <see cref="RazorComponentResult"/>), one page per route, and the POSTs that change something.
/// Off (404) unless <c>Admin:ApiKey</c> is set; a login with that key opens a session cookie
/// (<see cref="DashboardSession"/>). Every POST carries an antiforgery token, checked by
/// <see cref="AntiforgeryCheck"/>; no GET changes anything.
/// </summary>
internal static partial class DashboardEndpoints
{
    public const string Prefix = "/dashboard";

    public static void AddDashboard(IServiceCollection services)
    {
        services.AddAdminKey();
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddOptions<MeetingsOptions>().BindConfiguration(MeetingsOptions.SectionName);
        services.AddSingleton<DashboardActivity>();
        services.AddSingleton<DashboardSession>();
        services.AddSingleton<DashboardQueries>();
        services.AddScoped<DashboardView>();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        // Created now, so the per-minute counts start with the app, not with the first page view.
        app.ServiceProvider.GetRequiredService<DashboardActivity>();

        var open = app.MapGroup(Prefix).AddEndpointFilter<DashboardGate>().AllowAnonymous().ExcludeFromDescription();
        open.MapGet("/login", ShowLogin);
        open.MapPost("/login", LoginAsync).AddEndpointFilter<AntiforgeryCheck>();
        open.MapGet("/assets/{name}", DashboardAssets.Serve);

        var pages = open.MapGroup("").AddEndpointFilter<SessionCheck>();
        pages.MapGet("", DashboardPages.OverviewAsync);
        pages.MapGet("/events", DashboardPages.EventsAsync);
        pages.MapGet("/events/{id:long}", DashboardPages.EventAsync);
        pages.MapGet("/meetings", DashboardPages.MeetingsAsync);
        pages.MapGet("/meetings/{uuid}", DashboardPages.MeetingAsync);
        pages.MapGet("/meetings/{uuid}/attendance.csv", DashboardPages.AttendanceCsvAsync);

        var actions = pages.MapGroup("").AddEndpointFilter<AntiforgeryCheck>();
        actions.MapPost("/logout", Logout);
        actions.MapPost("/events/{id:long}/replay", ReplayOneAsync);
        actions.MapPost("/events/replay-dead", ReplayDeadAsync);
        if (app.ServiceProvider.GetService<RecordingStore>() is not null)
        {
            DashboardRecordings.Map(pages, actions);
        }
    }

    public static IResult ShowLogin(HttpContext http) => Render<LoginPage>(http, new LoginModel(null), StatusCodes.Status200OK);

    /// <summary>
    /// The admin API's rules exactly (<see cref="AdminKeyFilter"/>): the right key always passes; a
    /// wrong one counts toward the same per-address lockout, and once locked out the form gets 429.
    /// </summary>
    public static async Task<IResult> LoginAsync(
        HttpContext http, IOptionsMonitor<AdminOptions> options, AdminKeyFilter.Lockout lockout, DashboardSession session, ILogger<DashboardSession> logger)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var key = options.CurrentValue.ApiKey!;
        var client = AdminKeyFilter.ClientOf(http);
        if (AdminKeyFilter.IsKey(form["key"].ToString(), key))
        {
            session.SignIn(http, key);
            Log.SignedIn(logger, client);
            return Results.Redirect(Prefix);
        }

        if (lockout.IsLockedOut(client))
        {
            Log.LockedOut(logger, client);
            http.Response.Headers.RetryAfter = "60";
            return Render<LoginPage>(http, new LoginModel("Too many failed attempts; try again in a minute."), StatusCodes.Status429TooManyRequests);
        }

        lockout.RecordFailure(client);
        Log.Refused(logger, client);
        return Render<LoginPage>(http, new LoginModel("That is not the key."), StatusCodes.Status401Unauthorized);
    }

    public static IResult Logout(HttpContext http)
    {
        DashboardSession.SignOut(http);
        return Results.Redirect(Prefix + "/login");
    }

    /// <summary>The admin API's replay (<see cref="AdminEndpoints.ReplayOneAsync"/>): same checks, same inbox operation, same log line.</summary>
    public static async Task<IResult> ReplayOneAsync([AsParameters] AdminServices services, long id, CancellationToken cancellationToken) =>
        (await AdminEndpoints.ReplayOneAsync(services, id, cancellationToken)).Result switch
        {
            Ok<AdminEndpoints.ReplayResult> ok => Results.Redirect($"{Prefix}/events/{id}?replayed={ok.Value!.Replayed}"),
            NotFound => Results.NotFound(),
            _ => Results.Redirect($"{Prefix}/events/{id}?replayed=0"),
        };

    public static async Task<IResult> ReplayDeadAsync([AsParameters] AdminServices services, CancellationToken cancellationToken) =>
        (await AdminEndpoints.ReplayManyAsync(services, InboxStatus.Dead, eventName: null, cancellationToken)).Result is Ok<AdminEndpoints.ReplayResult> ok
            ? Results.Redirect($"{Prefix}/events?replayed={ok.Value!.Replayed}")
            : Results.Redirect($"{Prefix}/events");

    /// <summary>A page: its model for the component (<see cref="DashboardView"/>), and a fresh antiforgery token for its forms.</summary>
    public static IResult Render<TPage>(HttpContext http, object model, int statusCode = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var view = http.RequestServices.GetRequiredService<DashboardView>();
        view.Model = model;
        view.Form = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return new RazorComponentResult<TPage> { StatusCode = statusCode, PreventStreamingRendering = true };
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard login from {Client}")]
        public static partial void SignedIn(ILogger logger, string client);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard login from {Client} refused: wrong key")]
        public static partial void Refused(ILogger logger, string client);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard login from {Client} refused: too many failed attempts")]
        public static partial void LockedOut(ILogger logger, string client);
    }
}

internal sealed record LoginModel(string? Error);

/// <summary>
/// Every dashboard route: the security headers (a CSP without inline script or style, no framing,
/// no sniffing, no referrer, no caching), and 404 while <c>Admin:ApiKey</c> is unset, as the admin API.
/// </summary>
internal sealed class DashboardGate(IOptionsMonitor<AdminOptions> options) : IEndpointFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return string.IsNullOrEmpty(options.CurrentValue.ApiKey) ? TypedResults.NotFound() : await next(context);
    }
}

/// <summary>The pages need a session: without one a GET goes to the login page and a POST is refused; no data either way.</summary>
internal sealed class SessionCheck(IOptionsMonitor<AdminOptions> options, DashboardSession session) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (session.IsSignedIn(http, options.CurrentValue.ApiKey!))
        {
            var view = http.RequestServices.GetRequiredService<DashboardView>();
            view.SignedIn = true;
            view.Recordings = http.RequestServices.GetService<RecordingStore>() is not null;
            return await next(context);
        }

        return HttpMethods.IsGet(http.Request.Method)
            ? Results.Redirect(DashboardEndpoints.Prefix + "/login")
            : DashboardEndpoints.Render<LoginPage>(http, new LoginModel("Your session ended; log in again."), StatusCodes.Status401Unauthorized);
    }
}

/// <summary>ASP.NET Core antiforgery on every POST, checked here, explicitly, so the app needs no UseAntiforgery().</summary>
internal sealed class AntiforgeryCheck(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                detail: "The form's antiforgery token is missing or wrong; reload the page and try again.");
        }

        return await next(context);
    }
}
