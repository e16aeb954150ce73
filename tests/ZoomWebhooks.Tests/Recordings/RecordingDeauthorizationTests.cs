using ZoomWebhooks.Inbox;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>
/// <c>app.deauthorized</c> without data retention deletes the downloaded recordings of the meetings
/// the user hosted (files, folders and jobs), including one still downloading, and nothing else;
/// against a real fake of Zoom's file host on 127.0.0.1.
/// </summary>
public sealed class RecordingDeauthorizationTests : IAsyncLifetime
{
    private const string Token = "dl-token-Dq83nWv1c5Jh3pZu";
    private const string OtherHost = "HostOther4PqR8sTuVw";
    private const string OtherAccount = "AcctOther2MnB5vCx7Z";
    private const string OtherMeeting = "o7Xe+2RwU/bY3zK9nM1q4h==";
    private FakeZoomFiles _zoom = null!;

    public async Task InitializeAsync() => _zoom = await FakeZoomFiles.StartAsync();

    public async Task DisposeAsync() => await _zoom.DisposeAsync();

    [Fact]
    public async Task The_user_s_hosted_recordings_go_and_another_host_s_and_another_account_s_stay()
    {
        using var host = RecordingHost.Start();
        await DownloadAsync(host, "mine-1", "mine-2", "other-host-1", "other-account-1");

        var line = await DeauthorizeAsync(host);

        LogCapture.Scalar(line, "RecordingFiles").Should().Be(2);
        LogCapture.Scalar(line, "RecordingJobs").Should().Be(2);
        LogCapture.Scalar(line, "RecordingsInFlight").Should().Be(0);
        line.RenderMessage().Should().NotContain(RecordingEvents.AccountId).And.NotContain(RecordingEvents.HostId);
        host.FilesUnderRoot().Select(Path.GetFileName).Should().BeEquivalentTo("other-host-1.mp4", "other-account-1.mp4");
        Directory.Exists(Path.Combine(host.RecordingsPath, RecordingEvents.AccountId, "r3Cd_2B9QvT_2FaZ1xW8mN0p2g_3D_3D"))
            .Should().BeFalse("the meeting's folder is left empty, so it goes too");
        (await host.Store.ListAsync(null, 10, default)).Select(j => j.File.FileId).Should().BeEquivalentTo("other-host-1", "other-account-1");
    }

    [Fact]
    public async Task With_data_retention_allowed_every_recording_stays()
    {
        using var host = RecordingHost.Start();
        await DownloadAsync(host, "kept-1", "kept-2", "kept-3", "kept-4");

        using var response = await host.Factory.PostSignedAsync(Deauthorization.Body(RecordingEvents.AccountId, RecordingEvents.HostId, retention: "true"));
        response.EnsureSuccessStatusCode();
        await Eventually.Until(() => host.Factory.Inbox.ListAsync(new InboxQuery(InboxStatus.Done, null, null, null, 10), default), l => l.Count == 4);

        host.FilesUnderRoot().Should().HaveCount(4);
        (await host.Store.ListAsync(null, 10, default)).Should().HaveCount(4);
    }

    [Fact]
    public async Task A_file_still_downloading_is_removed_by_its_worker_once_it_finds_its_job_gone()
    {
        var big = _zoom.Add("held-1", 3_000_000, Token);
        big.HoldAt = 1_000_000;
        big.Hold = new TaskCompletionSource();
        using var host = RecordingHost.Start();
        await host.PostAsync(RecordingEvents.Completed(Token, [new EventFile("held-1", _zoom.UrlOf("held-1"), big.Size)]));
        await big.HoldReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // The server has sent its first megabyte; the worker opens its .part file as it reads it.
        var files = await Eventually.Until(() => Task.FromResult(host.FilesUnderRoot()), f => f.Count > 0);
        files.Should().ContainSingle().Which.Should().EndWith(RecordingPaths.PartSuffix);

        var line = await DeauthorizeAsync(host);
        // The handler leaves the file to its worker: the worker finds its job gone on its next lease
        // renewal (which may come before the hold ends) or when it settles.
        LogCapture.Scalar(line, "RecordingsInFlight").Should().Be(1);
        LogCapture.Scalar(line, "RecordingFiles").Should().Be(0);
        LogCapture.Scalar(line, "RecordingJobs").Should().Be(1);
        big.Hold.SetResult();

        await Eventually.Until(() => Task.FromResult(host.Factory.Logs.AllText()), text => text.Contains("its job was deleted while this worker held it", StringComparison.Ordinal));
        host.FilesUnderRoot().Should().BeEmpty();
        (await host.Store.FindAsync("held-1", default)).Should().BeNull();
        host.Downloaded.Received.Should().BeEmpty("a deleted file is never announced");
        await Eventually.Until(() => host.Factory.CreateClient().GetStringAsync("/metrics"),
            m => m.Contains("zoomwebhooks_recording_attempts_total{outcome=\"deleted\"} 1", StringComparison.Ordinal));
    }

    /// <summary>Deauthorizes the app for the recordings' host and returns the recordings handler's log line.</summary>
    private static async Task<Serilog.Events.LogEvent> DeauthorizeAsync(RecordingHost host)
    {
        using var response = await host.Factory.PostSignedAsync(Deauthorization.Body(RecordingEvents.AccountId, RecordingEvents.HostId));
        response.EnsureSuccessStatusCode();
        var line = await Eventually.Until(
            () => Task.FromResult(host.Factory.Logs.Events.SingleOrDefault(e => e.Properties.ContainsKey("RecordingFiles"))),
            found => found is not null);
        return line!;
    }

    /// <summary>Two files of a meeting the user hosted, one of another host's meeting and one of another account, all downloaded.</summary>
    private async Task DownloadAsync(RecordingHost host, string mine1, string mine2, string otherHost, string otherAccount)
    {
        foreach (var name in new[] { mine1, mine2, otherHost, otherAccount })
        {
            _zoom.Add(name, 20_000, Token);
        }

        EventFile File(string name) => new(name, _zoom.UrlOf(name), 20_000);
        await host.PostAsync(RecordingEvents.Completed(Token, [File(mine1), File(mine2)]));
        await host.PostAsync(RecordingEvents.Completed(Token, [File(otherHost)], meetingUuid: OtherMeeting, hostId: OtherHost));
        await host.PostAsync(RecordingEvents.Completed(Token, [File(otherAccount)], accountId: OtherAccount, meetingUuid: OtherMeeting));
        // Done, not only announced: a job is settled just after its notification.
        foreach (var name in new[] { mine1, mine2, otherHost, otherAccount })
        {
            await host.WaitForStatusAsync(name, RecordingStatus.Done);
        }

        host.FilesUnderRoot().Should().HaveCount(4);
    }
}
