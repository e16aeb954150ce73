using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ZoomWebhooks.Admin;

/// <summary>
/// Bearer <c>Admin:ApiKey</c>, compared in constant time. The right key always passes. Wrong or
/// missing keys are counted per client address (the forwarded one behind a configured proxy) by a
/// fixed-window rate limiter; past the limit further failures get 429 until the window ends, which
/// keeps scanners and their log lines in check. What stops guessing is the key's length. The key
/// itself is never logged.
/// </summary>
internal sealed partial class AdminKeyFilter(
    IOptionsMonitor<AdminOptions> options,
    AdminKeyFilter.Lockout lockout,
    ILogger<AdminKeyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.ApiKey))
        {
            return TypedResults.NotFound();
        }

        var http = context.HttpContext;
        if (Matches(http.Request.Headers.Authorization.ToString(), settings.ApiKey))
        {
            // The key is checked first: anyone who can reach the service can fail from the
            // operator's address (or the proxy's), and that must not lock the operator out.
            return await next(context);
        }

        var client = ClientOf(http);
        if (lockout.IsLockedOut(client))
        {
            Log.LockedOut(logger, client, http.Request.Method, http.Request.Path);
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, detail: "Too many failed attempts; try again later.");
        }

        lockout.RecordFailure(client);
        Log.Refused(logger, client, http.Request.Method, http.Request.Path);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "A valid bearer key is required.");
    }

    private static bool Matches(string authorization, string key)
    {
        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && IsKey(authorization[scheme.Length..].Trim(), key);
    }

    /// <summary>The key check itself, shared with the dashboard's login form.</summary>
    internal static bool IsKey(string presented, string key)
    {
        // Hashing first gives equal lengths, so the comparison time says nothing about the key.
        Span<byte> given = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), given);
        SHA256.HashData(Encoding.UTF8.GetBytes(key), expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>Whom the lockout counts a failure against: the client address (the forwarded one behind a configured proxy).</summary>
    internal static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Failed attempts per client address, one fixed one-minute window each.</summary>
    internal sealed class Lockout(IOptions<AdminOptions> options) : IDisposable
    {
        private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
            RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.Value.FailuresPerMinute),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

        public bool IsLockedOut(string client) => _failures.GetStatistics(client) is { CurrentAvailablePermits: 0 };

        public void RecordFailure(string client) => _failures.AttemptAcquire(client).Dispose();

        public void Dispose() => _failures.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin call {Method} {Path} from {Client} refused: missing or wrong key")]
        public static partial void Refused(ILogger logger, string client, string method, string path);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin call {Method} {Path} from {Client} refused: too many failed attempts")]
        public static partial void LockedOut(ILogger logger, string client, string method, string path);
    }
}
