using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Fetches one file into <c>{destination}.part</c>: the token in an <c>Authorization: Bearer</c>
/// header (never <c>?access_token=</c>, which puts it in URLs that proxies log), redirects
/// followed by hand so each hop is checked against <c>Recordings:AllowedHosts</c> first, the body
/// streamed through one pooled buffer (constant memory whatever the size), resumed with a range
/// request when a temporary file exists and the server honours it, restarted otherwise. A
/// 401/403 means the download token expired: the account's OAuth access token
/// (<see cref="IZoomTokens"/>) is tried once instead, when the app is authorized. Tokens and URLs
/// never reach a log line or an error text; a host does.
/// </summary>
internal sealed partial class RecordingDownloader(
    IHttpClientFactory clients,
    IServiceProvider services,
    IOptionsMonitor<RecordingsOptions> options,
    ILogger<RecordingDownloader> logger)
{
    public const string ClientName = "ZoomWebhooks.Recordings";
    private const int MaxRedirects = 5;
    internal const int BufferSize = 81920;

    /// <summary>A transfer that sends nothing for this long is broken off and resumed.</summary>
    internal static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);

    public async Task<DownloadOutcome> DownloadAsync(RecordingJob job, string temp, CancellationToken cancellationToken)
    {
        var file = job.File;
        var settings = options.CurrentValue;
        var token = file.DownloadToken;
        var withOAuth = false;
        if (token is null)
        {
            (token, var refusal) = await OAuthTokenAsync(file, "the job has no download token", cancellationToken);
            if (token is null)
            {
                return refusal!;
            }

            withOAuth = true;
        }

        // A transfer broken off midway is resumed at once, a few times, before the attempt gives up.
        for (var pass = 0; ; pass++)
        {
            var fetch = await FetchAsync(file, token, temp, settings, cancellationToken);
            switch (fetch.Kind)
            {
                case FetchKind.Complete:
                    return await DownloadCheck.CheckAsync(file, temp, fetch.Digest, cancellationToken);
                case FetchKind.Unauthorized when !withOAuth:
                    Log.TokenRefused(logger, file.FileId, fetch.Status);
                    (token, var refusal) = await OAuthTokenAsync(file, $"the download token was refused (HTTP {fetch.Status}: expired)", cancellationToken);
                    if (token is null)
                    {
                        return refusal!;
                    }

                    withOAuth = true;
                    pass--;
                    continue;
                case FetchKind.Unauthorized:
                    return DownloadOutcome.Fail(
                        $"HTTP {fetch.Status} with the download token and with the app's OAuth access token: the app needs a cloud recording read scope for the account.");
                case FetchKind.Interrupted when pass < settings.Retries:
                    Log.Interrupted(logger, file.FileId, fetch.Error);
                    continue;
                case FetchKind.Interrupted or FetchKind.Transient:
                    return DownloadOutcome.Retry(fetch.Error!);
                default:
                    return DownloadOutcome.Fail(fetch.Error!);
            }
        }
    }

    private async Task<(string? Token, DownloadOutcome? Refusal)> OAuthTokenAsync(RecordingFile file, string why, CancellationToken cancellationToken)
    {
        if (services.GetService<IZoomTokens>() is not { } tokens)
        {
            return (null, DownloadOutcome.Fail($"{why}, and app authorization (AddZoomOAuth) is off, so no OAuth token can replace it."));
        }

        try
        {
            return (await tokens.GetAccessTokenAsync(file.AccountId, cancellationToken), null);
        }
        catch (ZoomNotAuthorizedException)
        {
            return (null, DownloadOutcome.Fail($"{why}, and the app is not authorized for the account: authorize it at /zoom/login, then retry the job."));
        }
        catch (ZoomOAuthException ex)
        {
            return (null, DownloadOutcome.Retry($"{why}, and Zoom did not give an OAuth token: {ex.Error}."));
        }
    }

    private async Task<Fetch> FetchAsync(RecordingFile file, string token, string temp, RecordingsOptions settings, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        var uri = Uri.TryCreate(file.DownloadUrl, UriKind.Absolute, out var parsed) ? parsed : null;
        var sendToken = true;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (uri is null || !AllowedHosts.Allows(settings.EffectiveAllowedHosts, uri))
            {
                var host = uri?.Host ?? "(not a URL)";
                Log.HostRefused(logger, file.FileId, host, hop);
                return Fetch.Failed($"{(hop == 0 ? "download_url" : "A redirect")} names host {host}, which Recordings:AllowedHosts does not allow; nothing was sent to it.");
            }

            var offset = File.Exists(temp) ? new FileInfo(temp).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (sendToken)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or IOException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return Fetch.Transient($"No answer from {uri.Host}: {ex.GetType().Name}.");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = new Uri(uri, location);
                    // As HttpClient does itself: the token goes to the host it was meant for, not to where that host sends us.
                    sendToken = sendToken && string.Equals(next.IdnHost, uri.IdnHost, StringComparison.OrdinalIgnoreCase);
                    uri = next;
                    continue;
                }

                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    return new Fetch(FetchKind.Unauthorized, status);
                }

                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
                {
                    File.Delete(temp);
                    hop--;
                    continue;
                }

                if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                {
                    return Fetch.Transient($"HTTP {status} from {uri.Host}.");
                }

                if (!response.IsSuccessStatusCode)
                {
                    return Fetch.Failed($"HTTP {status} from {uri.Host}.");
                }

                var resumed = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent
                              && response.Content.Headers.ContentRange is { From: var from } && from == offset;
                if (offset > 0 && !resumed)
                {
                    Log.Restarted(logger, file.FileId, offset, status);
                }

                return await CopyAsync(response, temp, resumed, file.FileSize, cancellationToken);
            }
        }

        return Fetch.Failed($"More than {MaxRedirects} redirects.");
    }

    private static async Task<Fetch> CopyAsync(HttpResponseMessage response, string temp, bool append, long? expected, CancellationToken cancellationToken)
    {
        var digest = DownloadCheck.Sha256Digest(response);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var output = new FileStream(temp, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                idle.CancelAfter(IdleTimeout);
                var read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), idle.Token);
                if (read == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                if (expected is { } size && output.Length > size)
                {
                    return Fetch.Transient($"The server sent more than file_size ({size} bytes).");
                }
            }

            // On disk before it is renamed into place: a crash after the rename must not leave a torn file.
            output.Flush(flushToDisk: true);
            return new Fetch(FetchKind.Complete, (int)response.StatusCode, Digest: digest);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new Fetch(FetchKind.Interrupted, (int)response.StatusCode, $"The transfer broke off ({ex.GetType().Name}).");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum FetchKind
    {
        Complete,
        Unauthorized,
        Interrupted,
        Transient,
        Failed,
    }

    private sealed record Fetch(FetchKind Kind, int Status = 0, string? Error = null, byte[]? Digest = null)
    {
        public static Fetch Transient(string error) => new(FetchKind.Transient, Error: error);

        public static Fetch Failed(string error) => new(FetchKind.Failed, Error: error);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId}: HTTP {StatusCode} for the download token; trying the app's OAuth access token")]
        public static partial void TokenRefused(ILogger logger, string fileId, int statusCode);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Recording file {FileId}: {Reason}; resuming")]
        public static partial void Interrupted(ILogger logger, string fileId, string? reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Recording file {FileId}: the server did not resume at byte {Offset} (HTTP {StatusCode}); downloading from the start")]
        public static partial void Restarted(ILogger logger, string fileId, long offset, int statusCode);

        [LoggerMessage(Level = LogLevel.Error, Message = "Recording file {FileId}: host {Host} is not in Recordings:AllowedHosts (hop {Hop}); not contacted")]
        public static partial void HostRefused(ILogger logger, string fileId, string host, int hop);
    }
}
