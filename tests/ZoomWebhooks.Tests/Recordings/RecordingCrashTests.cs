using System.Globalization;
using System.Security.Cryptography;
using Xunit.Abstractions;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>
/// The built service as a real process, downloading from the fake Zoom file host: a file over
/// 100 MB goes through in constant memory, and <c>kill -9</c> halfway through the next one leaves
/// only the temporary file, which the restarted service resumes at once with a range request.
/// </summary>
public sealed class RecordingCrashTests(ITestOutputHelper output)
{
    private const string Secret = "recording-crash-secret-Tm3Lq8Zp2";
    private const string Token = "dl-token-crash-Wc5Yh1";
    private const long Size = (110L * 1024 * 1024) + 12_345;

    [Fact]
    public async Task A_110_MB_file_streams_in_constant_memory_and_kill_9_mid_download_leaves_no_partial_file_and_completes_after_restart()
    {
        await using var zoom = await FakeZoomFiles.StartAsync();
        var whole = zoom.Add("whole-110mb", Size, Token);
        var killed = zoom.Add("killed-110mb", Size, Token);
        killed.HoldAt = Size / 2;
        killed.Hold = new TaskCompletionSource();
        var root = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"rec-crash-{Guid.NewGuid():N}");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Inbox"] = $"Data Source={Path.Combine(root, "inbox.db")}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = Secret,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Recordings__Path"] = Path.Combine(root, "rec"),
            ["Recordings__AllowedHosts__0"] = "127.0.0.1",
            ["Recordings__Concurrency"] = "1",
            ["Recordings__PollInterval"] = "00:00:00.200",
        };
        var folder = Path.Combine(root, "rec", RecordingEvents.AccountId, RecordingPaths.SafeName(RecordingEvents.MeetingUuid));
        var wholePath = Path.Combine(folder, "whole-110mb.mp4");
        var killedPath = Path.Combine(folder, "killed-110mb.mp4");
        try
        {
            long partAtKill;
            await using (var service = await StartAsync(settings))
            {
                var baseline = service.ResidentBytes;
                await Post(service, new EventFile("whole-110mb", zoom.UrlOf("whole-110mb"), Size));
                var peak = baseline;
                await Eventually.Until(() =>
                {
                    peak = Math.Max(peak, service.ResidentBytes);
                    return Task.FromResult(File.Exists(wholePath));
                }, done => done, TimeSpan.FromSeconds(120), "the 110 MB file in place");
                peak = Math.Max(peak, service.ResidentBytes);
                output.WriteLine($"110 MB download: resident memory {baseline / 1048576.0:F1} MB before, peak {peak / 1048576.0:F1} MB during (+{(peak - baseline) / 1048576.0:F1} MB)");
                (peak - baseline).Should().BeLessThan(64L * 1024 * 1024, "the body is streamed through one buffer, never held whole");

                await Post(service, new EventFile("killed-110mb", zoom.UrlOf("killed-110mb"), Size));
                await killed.HoldReached.Task.WaitAsync(TimeSpan.FromSeconds(60));
                partAtKill = await Eventually.Until(() => Task.FromResult(PartLength(killedPath)), n => n > 0, TimeSpan.FromSeconds(30), "bytes in the .part file");
                await service.KillAsync();
            }

            partAtKill = PartLength(killedPath);
            output.WriteLine($"kill -9 with {partAtKill:N0} of {Size:N0} bytes in {Path.GetFileName(killedPath)}{RecordingPaths.PartSuffix}");
            File.Exists(killedPath).Should().BeFalse("nothing is under the final name until the whole file is checked");
            partAtKill.Should().BeInRange(1, Size / 2);

            await using (var restarted = await StartAsync(settings))
            {
                // Within 20 s, though the lease is 30 s: on SQLite the restart takes the dead process's jobs back at once.
                await Eventually.Until(() => Task.FromResult(File.Exists(killedPath)), done => done, TimeSpan.FromSeconds(20), "the killed file completed after the restart");
                await restarted.StopAsync();
            }

            var requests = zoom.RequestsFor("killed-110mb");
            requests.Select(r => r.Range).Should().Equal("", $"bytes={partAtKill.ToString(CultureInfo.InvariantCulture)}-");
            zoom.RequestsFor("whole-110mb").Should().ContainSingle("the restart does not fetch a finished file again");
            File.Exists(killedPath + RecordingPaths.PartSuffix).Should().BeFalse();
            foreach (var (name, path) in new[] { ("whole-110mb", wholePath), ("killed-110mb", killedPath) })
            {
                await using var stream = File.OpenRead(path);
                (await SHA256.HashDataAsync(stream)).Should().Equal(FakeZoomFiles.Sha256(name, Size), name);
            }

            output.WriteLine($"after the restart: resumed at byte {partAtKill:N0}, both files {Size:N0} bytes with the right SHA-256");
        }
        finally
        {
            killed.Hold.TrySetResult();
            TempDatabase.Delete(Path.Combine(root, "inbox.db"));
        }
    }

    private static long PartLength(string path) => File.Exists(path + RecordingPaths.PartSuffix) ? new FileInfo(path + RecordingPaths.PartSuffix).Length : 0;

    private static async Task Post(ServiceProcess service, EventFile file)
    {
        using var response = await service.PostSignedAsync(RecordingEvents.Completed(Token, [file]), Secret);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<ServiceProcess> StartAsync(Dictionary<string, string> settings)
    {
        var service = ServiceProcess.Start(settings);
        await service.WaitForOutputAsync("Application started");
        return service;
    }
}
