using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ZoomWebhooks.Admin;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Cloud recordings (issue 17): the handler that queues a job per file of a recording event, the
/// worker that downloads them, the HTTP client it uses, and <c>/api/recordings</c> behind the
/// admin key. Registered by AddRecordings(); inert until <c>Recordings:Path</c> is set.
/// </summary>
internal static partial class RecordingsEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void AddRecordings(IServiceCollection services)
    {
        services.AddOptions<RecordingsOptions>().BindConfiguration(RecordingsOptions.SectionName)
            // Recordings__AllowedHosts=a,b (one value, as an environment variable is easily written) counts as the list.
            .Configure<IConfiguration>((o, config) =>
            {
                if (o.AllowedHosts.Count == 0 && config[$"{RecordingsOptions.SectionName}:{nameof(RecordingsOptions.AllowedHosts)}"] is { Length: > 0 } one)
                {
                    o.AllowedHosts = [.. one.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                }
            })
            .Validate(o => o.Concurrency >= 1, "Recordings:Concurrency must be at least 1.")
            .Validate(o => o.AllowedHosts.All(AllowedHosts.IsValidPattern),
                "Recordings:AllowedHosts holds an entry that is not a host name: give hosts only (zoom.us, *.zoom.us), no scheme, port or path.")
            .Validate(o => o.Retries >= 0 && o.RetryDelay >= TimeSpan.Zero && o.MaxAttempts >= 1 && o.AttemptDelay >= TimeSpan.Zero,
                "Recordings:Retries and Recordings:RetryDelay must not be negative, Recordings:MaxAttempts must be at least 1, Recordings:AttemptDelay not negative.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1) && o.PollInterval > TimeSpan.Zero,
                "Recordings:LeaseDuration must be at least 00:00:01 and Recordings:PollInterval positive.")
            .Validate(o => !o.Enabled || CanWrite(o.Path!),
                "Recordings:Path is not a folder the service can create and write to.")
            .ValidateOnStart();

        services.AddHttpClient(RecordingDownloader.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // Redirects are followed by the downloader, which checks every hop against Recordings:AllowedHosts.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            // The downloader writes its own lines (file id, host, status); the factory's would print each URL.
            .RemoveAllLoggers()
            .AddResilienceHandler("zoom-recordings", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<RecordingsOptions>>().Value;
                if (settings.Retries > 0)
                {
                    // The default predicate: 5xx, 408, 429, connection failures and timeouts; never 401/403.
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = settings.Retries,
                        Delay = settings.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }

                // Until the answer's headers; the body is streamed with an idle timeout of its own.
                pipeline.AddTimeout(TimeSpan.FromSeconds(30));
            });

        // On the process's one InboxDatabase (see InboxSetup): no pool or writer of its own.
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RecordingSignal>();
        services.AddSingleton<RecordingDownloader>();
        services.AddSingleton<RecordingMetrics>();
        services.AddHostedService<RecordingWorker>();
        services.AddHandler<QueueRecordingFiles>();
        services.AddHandler<ForgetHostedRecordings>();
        services.AddAdminKey();
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        var recordings = app.MapAdminGroup("/api/recordings");
        recordings.MapGet("/", ListAsync);
        recordings.MapPost("/{fileId}/retry", RetryAsync);
    }

    public static async Task<Results<Ok<RecordingPage>, ProblemHttpResult>> ListAsync(
        [AsParameters] RecordingServices services, string? status, int? limit, CancellationToken cancellationToken)
    {
        if (status is not null && !RecordingStatus.All.Contains(status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"status must be one of {string.Join(", ", RecordingStatus.All)}.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"limit must be between 1 and {MaxLimit}.");
        }

        var jobs = await services.Store.ListAsync(status, limit ?? DefaultLimit, cancellationToken);
        Log.Listed(services.Logger, jobs.Count, status);
        return TypedResults.Ok(new RecordingPage([.. jobs.Select(RecordingSummary.From)]));
    }

    /// <summary>A failed job back to pending, attempts reset; it uses the newest token the job has, else the OAuth one.</summary>
    public static async Task<Results<Ok<RetryResult>, NotFound, ProblemHttpResult>> RetryAsync(
        [AsParameters] RecordingServices services, string fileId, CancellationToken cancellationToken)
    {
        if (await services.Store.FindAsync(fileId, cancellationToken) is not { } job)
        {
            return TypedResults.NotFound();
        }

        if (!await services.Store.RetryAsync(fileId, services.Time.GetUtcNow(), cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: $"Recording file {fileId} is {job.Status}; only a failed one can be retried.");
        }

        services.Signal.Notify();
        Log.Retried(services.Logger, fileId);
        return TypedResults.Ok(new RetryResult(1));
    }

    private static bool CanWrite(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public sealed record RecordingPage(IReadOnlyList<RecordingSummary> Items);

    public sealed record RetryResult(int Retried);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Read API listed {Count} recording jobs (status {Status})")]
        public static partial void Listed(ILogger logger, int count, string? status);

        [LoggerMessage(Level = LogLevel.Information, Message = "Admin retried recording file {FileId}")]
        public static partial void Retried(ILogger logger, string fileId);
    }
}

/// <summary>What the recording endpoints need, bound by minimal APIs.</summary>
internal sealed record RecordingServices(RecordingStore Store, RecordingSignal Signal, TimeProvider Time, ILogger<RecordingServices> Logger);
