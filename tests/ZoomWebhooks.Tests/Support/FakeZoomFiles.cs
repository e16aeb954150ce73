using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Zoom's recording download host as a real HTTP server on 127.0.0.1: it checks the bearer token
/// of each file, streams its bytes from a deterministic pattern (any size, nothing held in memory),
/// and misbehaves on demand: 5xx a few times, a connection dropped halfway, a transfer held at a
/// byte until released, range requests honoured or ignored, a redirect, a checksum header. Every
/// request is recorded, so a test can say what was, and what was never, asked for.
/// </summary>
public sealed class FakeZoomFiles : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ServedFile> _files = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private int _inFlight;
    private int _maxInFlight;

    private FakeZoomFiles(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    public IReadOnlyList<Request> Requests => [.. _requests];

    /// <summary>The most file bodies being sent at one moment.</summary>
    public int MaxConcurrentTransfers => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeZoomFiles> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var fake = new FakeZoomFiles(builder.Build());
        fake._app.Map("/rec/download/{name}", fake.ServeAsync);
        fake._app.Map("/rec/redirect/{name}", fake.Redirect);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>Serves a file under <paramref name="name"/>; its download URL is <see cref="UrlOf"/>.</summary>
    public ServedFile Add(string name, long size, params string[] tokens)
    {
        var file = new ServedFile(name, size, [.. tokens]);
        _files[name] = file;
        return file;
    }

    public string UrlOf(string name) => $"{BaseUrl}/rec/download/{name}";

    /// <summary>A URL that answers 302 to <paramref name="target"/>.</summary>
    public string RedirectTo(string name, string target)
    {
        _redirects[name] = target;
        return $"{BaseUrl}/rec/redirect/{name}";
    }

    private readonly ConcurrentDictionary<string, string> _redirects = new();

    public IReadOnlyList<Request> RequestsFor(string name) => [.. Requests.Where(r => r.Path.EndsWith("/" + name, StringComparison.Ordinal))];

    /// <summary>The byte at <paramref name="offset"/> of the file called <paramref name="name"/>.</summary>
    public static byte ByteAt(string name, long offset) => Pattern(name)[(int)(offset % PatternLength)];

    // A block of a prime length, made from the name: a shifted read of any file lands on other bytes,
    // and filling a chunk is a few copies rather than a computation per byte.
    private const int PatternLength = 65_521;
    private static readonly ConcurrentDictionary<string, byte[]> Patterns = new();

    private static byte[] Pattern(string name) => Patterns.GetOrAdd(name, n =>
    {
        var pattern = new byte[PatternLength];
        var block = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(n));
        for (var i = 0; i < pattern.Length; i += block.Length)
        {
            block = SHA256.HashData(block);
            block.AsSpan(0, Math.Min(block.Length, pattern.Length - i)).CopyTo(pattern.AsSpan(i));
        }

        return pattern;
    });

    /// <summary>The SHA-256 of a file's content, computed in chunks as it is served.</summary>
    public static byte[] Sha256(string name, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Chunk];
        for (long offset = 0; offset < size; offset += Chunk)
        {
            var count = (int)Math.Min(Chunk, size - offset);
            Fill(name, offset, buffer.AsSpan(0, count));
            hash.AppendData(buffer, 0, count);
        }

        return hash.GetHashAndReset();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static void Fill(string name, long offset, Span<byte> buffer)
    {
        var pattern = Pattern(name);
        for (var filled = 0; filled < buffer.Length;)
        {
            var at = (int)((offset + filled) % PatternLength);
            var count = Math.Min(PatternLength - at, buffer.Length - filled);
            pattern.AsSpan(at, count).CopyTo(buffer[filled..]);
            filled += count;
        }
    }

    private IResult Redirect(HttpContext context, string name)
    {
        Record(context);
        return Results.Redirect(_redirects[name]);
    }

    private async Task ServeAsync(HttpContext context, string name)
    {
        Record(context);
        var response = context.Response;
        if (!_files.TryGetValue(name, out var file))
        {
            response.StatusCode = 404;
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (file.RequiresToken && (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !file.Tokens.Contains(authorization["Bearer ".Length..])))
        {
            // Zoom's answer to an expired or wrong download token.
            response.StatusCode = 401;
            await response.WriteAsJsonAsync(new { code = 124, message = "Invalid access token." });
            return;
        }

        if (file.FailuresLeft > 0 && Interlocked.Decrement(ref file.FailuresLeft) >= 0)
        {
            response.StatusCode = file.FailureStatus;
            return;
        }

        long start = 0;
        var range = context.Request.Headers.Range.ToString();
        if (file.SupportsRanges && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-')
            && long.TryParse(range["bytes=".Length..^1], out var from))
        {
            if (from >= file.Size)
            {
                response.StatusCode = 416;
                return;
            }

            start = from;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {from}-{file.Size - 1}/{file.Size}";
        }

        if (file.SupportsRanges)
        {
            response.Headers.AcceptRanges = "bytes";
        }

        if (file.Digest is { } digest)
        {
            response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(digest)}:";
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength = file.Size - start;
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            await SendAsync(context, file, start);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task SendAsync(HttpContext context, ServedFile file, long start)
    {
        var buffer = new byte[Chunk];
        for (var offset = start; offset < file.Size;)
        {
            if (file.DropAt is { } drop && offset >= drop && Interlocked.Exchange(ref file.Dropped, 1) == 0)
            {
                await context.Response.Body.FlushAsync();
                context.Abort();
                return;
            }

            if (file.HoldAt is { } hold && offset >= hold && file.Hold is { } gate && Interlocked.Exchange(ref file.Held, 1) == 0)
            {
                await context.Response.Body.FlushAsync();
                file.HoldReached.TrySetResult(offset);
                await gate.Task.WaitAsync(context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
            }

            var limit = file.DropAt is { } d && file.Dropped == 0 && d > offset ? d : file.HoldAt is { } h && file.Held == 0 && h > offset ? h : file.Size;
            var count = (int)Math.Min(Math.Min(Chunk, file.Size - offset), limit - offset);
            Fill(file.Name, offset, buffer.AsSpan(0, count));
            try
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            offset += count;
        }
    }

    private void Record(HttpContext context)
    {
        var request = context.Request;
        _requests.Enqueue(new Request(
            request.Method, request.Host.Value ?? "", request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.Authorization.ToString(), request.Headers.Range.ToString()));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    public sealed record Request(string Method, string Host, string Path, string Query, string Authorization, string Range)
    {
        public string? BearerToken => Authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? Authorization["Bearer ".Length..] : null;
    }

    /// <summary>One file and how it misbehaves. Set the knobs before the download starts.</summary>
    public sealed class ServedFile(string name, long size, HashSet<string> tokens)
    {
        internal int FailuresLeft;
        internal int Dropped;
        internal int Held;

        public string Name { get; } = name;

        public long Size { get; } = size;

        /// <summary>Bearer tokens this file is served for; any other gets 401.</summary>
        public HashSet<string> Tokens { get; } = tokens;

        public bool SupportsRanges { get; set; } = true;

        /// <summary>False for a file behind a signed URL, as the CDN host Zoom redirects to serves it.</summary>
        public bool RequiresToken { get; set; } = true;

        public int FailureStatus { get; set; } = 503;

        /// <summary>The first <paramref name="count"/> authorized requests get <see cref="FailureStatus"/>.</summary>
        public ServedFile FailFirst(int count)
        {
            FailuresLeft = count;
            return this;
        }

        /// <summary>Once: the connection is cut after this many bytes of the file.</summary>
        public long? DropAt { get; set; }

        /// <summary>Once: the transfer stops at this byte until <see cref="Hold"/> completes.</summary>
        public long? HoldAt { get; set; }

        public TaskCompletionSource? Hold { get; set; }

        public TaskCompletionSource<long> HoldReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Sent as <c>Repr-Digest: sha-256=:…:</c> when set.</summary>
        public byte[]? Digest { get; set; }
    }
}
