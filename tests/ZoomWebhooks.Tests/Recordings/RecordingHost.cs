using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MediatR;
using ServiceFactory = ZoomWebhooks.Tests.Support.ServiceFactory;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>One file of a recording event as a test writes it into the payload.</summary>
public sealed record EventFile(string Id, string Url, long Size, string Extension = "MP4", string FileType = "MP4", string RecordingType = "shared_screen_with_speaker_view");

/// <summary>Signed recording events of the test's own making: the token beside <c>payload</c>, as Zoom puts it.</summary>
public static class RecordingEvents
{
    public const string AccountId = "AcctRec9TxQe4Rz7LpW";
    public const string MeetingUuid = "r3Cd+9QvT/aZ1xW8mN0p2g==";

    public const string HostId = "HostRec7LmZ2xTnWb4";

    public static byte[] Completed(string token, IEnumerable<EventFile> files, string eventName = "recording.completed",
        string accountId = AccountId, string meetingUuid = MeetingUuid, string hostId = HostId) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["event"] = eventName,
            ["event_ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["payload"] = new Dictionary<string, object>
            {
                ["account_id"] = accountId,
                ["object"] = new Dictionary<string, object>
                {
                    ["uuid"] = meetingUuid,
                    ["id"] = 84512739061,
                    ["account_id"] = accountId,
                    ["host_id"] = hostId,
                    ["topic"] = "Recorded review",
                    ["recording_files"] = files.Select(f => new Dictionary<string, object>
                    {
                        ["id"] = f.Id,
                        ["meeting_id"] = meetingUuid,
                        ["file_type"] = f.FileType,
                        ["file_extension"] = f.Extension,
                        ["file_size"] = f.Size,
                        ["download_url"] = f.Url,
                        ["status"] = "completed",
                        ["recording_type"] = f.RecordingType,
                    }).ToList(),
                },
            },
            ["download_token"] = token,
        }));
}

/// <summary>Every <see cref="RecordingFileDownloaded"/> the service publishes; can fail on demand.</summary>
public sealed class DownloadedFiles : INotificationHandler<RecordingFileDownloaded>
{
    private readonly ConcurrentQueue<RecordingFileDownloaded> _received = new();

    public Func<RecordingFileDownloaded, Task>? OnReceived { get; set; }

    public IReadOnlyList<RecordingFileDownloaded> Received => [.. _received];

    public async Task Handle(RecordingFileDownloaded notification, CancellationToken cancellationToken)
    {
        if (OnReceived is { } hook)
        {
            await hook(notification);
        }

        _received.Enqueue(notification);
    }

    public Task<IReadOnlyList<RecordingFileDownloaded>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.Until(() => Task.FromResult(Received), r => r.Count >= count, timeout ?? TimeSpan.FromSeconds(30), $"{count} files downloaded");
}

/// <summary>The service in memory with recordings on, stored under a folder of its own, on the real clock.</summary>
public sealed class RecordingHost : IDisposable
{
    public const string AdminKey = "recordings-admin-key-0123456789abcdef";

    private RecordingHost(ServiceFactory factory, string root)
    {
        Factory = factory;
        Root = root;
    }

    public ServiceFactory Factory { get; }

    /// <summary>A temporary folder; recordings go to its <c>rec</c> subfolder, so anything outside that is a file that escaped.</summary>
    public string Root { get; }

    public string RecordingsPath => Path.Combine(Root, "rec");

    public DownloadedFiles Downloaded { get; } = new();

    internal RecordingStore Store => Factory.Services.GetRequiredService<RecordingStore>();

    /// <param name="root">A folder shared with another host (two receivers on one PostgreSQL); a new one by default.</param>
    public static RecordingHost Start(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? root = null)
    {
        root ??= Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"rec-{Guid.NewGuid():N}");
        var all = new Dictionary<string, string?>
        {
            ["Recordings:Path"] = Path.Combine(root, "rec"),
            ["Recordings:AllowedHosts:0"] = "127.0.0.1",
            ["Recordings:RetryDelay"] = "00:00:00.010",
            ["Recordings:AttemptDelay"] = "00:00:00.050",
            ["Recordings:PollInterval"] = "00:00:00.100",
            ["Admin:ApiKey"] = AdminKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new ServiceFactory(all, TimeProvider.System);
        var host = new RecordingHost(factory, root);
        factory.WithServices(s =>
        {
            s.AddSingleton<INotificationHandler<RecordingFileDownloaded>>(host.Downloaded);
            services?.Invoke(s);
        });
        _ = factory.Services;
        return host;
    }

    public async Task PostAsync(byte[] body)
    {
        using var response = await Factory.PostSignedAsync(body);
        response.EnsureSuccessStatusCode();
    }

    internal Task<RecordingJob> WaitForStatusAsync(string fileId, string status, TimeSpan? timeout = null) =>
        Eventually.Until(async () => (await Store.FindAsync(fileId, default))!, j => j?.Status == status,
            timeout ?? TimeSpan.FromSeconds(30), $"{fileId} {status}");

    /// <summary>Every file under <see cref="Root"/>, relative to it.</summary>
    public IReadOnlyList<string> FilesUnderRoot() =>
        Directory.Exists(Root) ? [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f))] : [];

    public void Dispose()
    {
        Factory.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
