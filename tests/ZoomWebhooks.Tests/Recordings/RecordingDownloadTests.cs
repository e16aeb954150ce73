using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>
/// The downloads of cloud recordings against a real fake of Zoom's file host on 127.0.0.1
/// (<see cref="FakeZoomFiles"/>), with the service in memory on the real clock.
/// </summary>
public sealed class RecordingDownloadTests : IAsyncLifetime
{
    private const string Token = "dl-token-Zq81mVv0c4Hh2pYt";
    private FakeZoomFiles _zoom = null!;

    public async Task InitializeAsync() => _zoom = await FakeZoomFiles.StartAsync();

    public async Task DisposeAsync() => await _zoom.DisposeAsync();

    [Fact]
    public async Task Every_file_of_the_event_is_stored_with_its_bytes_under_account_meeting_and_file_id_and_announced()
    {
        var files = new[]
        {
            File("mp4-1", 1_000, "MP4"),
            File("m4a-1", 300_000, "M4A", "M4A", "audio_only"),
            File("json-1", 5_000_000, "JSON", "TIMELINE", "timeline"),
        };
        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed(Token, files));
        var announced = await host.Downloaded.WaitForAsync(3);
        await host.PostAsync(RecordingEvents.Completed(Token, [File("vtt-1", 2_048, "VTT", "TRANSCRIPT", "audio_transcript")], "recording.transcript_completed"));
        announced = await host.Downloaded.WaitForAsync(4);

        var folder = Path.Combine(host.RecordingsPath, RecordingEvents.AccountId, "r3Cd_2B9QvT_2FaZ1xW8mN0p2g_3D_3D");
        foreach (var file in files.Append(new EventFile("vtt-1", "", 2_048, "VTT", "TRANSCRIPT")))
        {
            var path = Path.Combine(folder, $"{file.Id}.{file.Extension.ToLowerInvariant()}");
            SHA256.HashData(System.IO.File.ReadAllBytes(path)).Should().Equal(FakeZoomFiles.Sha256(file.Id, file.Size), file.Id);
            var notification = announced.Single(n => n.FileId == file.Id);
            notification.Path.Should().Be(path);
            notification.Size.Should().Be(file.Size);
            notification.FileType.Should().Be(file.FileType);
            notification.AccountId.Should().Be(RecordingEvents.AccountId);
            notification.Meeting.Uuid.Should().Be(RecordingEvents.MeetingUuid);
        }

        host.FilesUnderRoot().Should().HaveCount(4).And.NotContain(f => f.EndsWith(RecordingPaths.PartSuffix, StringComparison.Ordinal));
        _zoom.Requests.Should().HaveCount(4).And.OnlyContain(r => r.Authorization == "Bearer " + Token && r.Query.Length == 0,
            "the token goes in the Authorization header, never in the URL");

        var page = await ListAsync(host);
        page.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("status").GetString(), i.GetProperty("attempts").GetInt32(),
            i.GetProperty("size").GetInt64() == i.GetProperty("bytes").GetInt64())).Should().AllBeEquivalentTo(("done", 1, true));
        page.ToString().Should().NotContain(Token).And.NotContain("download_url").And.NotContain(_zoom.BaseUrl);
        host.Factory.Logs.AllText().Should().NotContain(Token);
    }

    [Fact]
    public async Task The_same_event_again_with_another_token_downloads_nothing_twice_during_the_download_or_after_it()
    {
        var big = _zoom.Add("big-1", 4_000_000, Token, "dl-token-second-Hq2");
        big.HoldAt = 1_000_000;
        big.Hold = new TaskCompletionSource();
        var small = _zoom.Add("small-1", 10_000, Token, "dl-token-second-Hq2");
        var files = new[] { new EventFile("big-1", _zoom.UrlOf("big-1"), big.Size), new EventFile("small-1", _zoom.UrlOf("small-1"), small.Size) };
        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed(Token, files));
        await big.HoldReached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await host.PostAsync(RecordingEvents.Completed("dl-token-second-Hq2", files));
        await Eventually.Until(() => host.Factory.Inbox.ListAsync(new InboxQuery(InboxStatus.Done, null, null, null, 10), default), l => l.Count == 2);
        big.Hold.SetResult();
        await host.Downloaded.WaitForAsync(2);
        await host.PostAsync(RecordingEvents.Completed("dl-token-third-Kw7", files));
        await Eventually.Until(() => host.Factory.Inbox.ListAsync(new InboxQuery(InboxStatus.Done, null, null, null, 10), default), l => l.Count == 3);

        _zoom.RequestsFor("big-1").Should().ContainSingle();
        _zoom.RequestsFor("small-1").Should().ContainSingle();
        host.Downloaded.Received.Should().HaveCount(2);
        (await host.Store.ListAsync(null, 10, default)).Should().HaveCount(2).And.OnlyContain(j => j.Status == RecordingStatus.Done && j.File.DownloadToken == null,
            "a done job keeps no token");
    }

    [Fact]
    public async Task A_5xx_is_retried_with_backoff_and_a_file_that_keeps_failing_ends_failed_with_the_status()
    {
        _zoom.Add("flaky-1", 50_000, Token).FailFirst(2);
        _zoom.Add("down-1", 50_000, Token).FailFirst(1000);
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:Retries"] = "2", ["Recordings:MaxAttempts"] = "2" });

        await host.PostAsync(RecordingEvents.Completed(Token, [File("flaky-1", 50_000, create: false), File("down-1", 50_000, create: false)]));
        var flaky = await host.WaitForStatusAsync("flaky-1", RecordingStatus.Done);
        var down = await host.WaitForStatusAsync("down-1", RecordingStatus.Failed);

        flaky.Attempts.Should().Be(1, "the quick retries of the HTTP client absorbed the two 503s");
        _zoom.RequestsFor("flaky-1").Should().HaveCount(3);
        down.Attempts.Should().Be(2);
        down.LastError.Should().Contain("HTTP 503").And.Contain("after 2 attempts");
        _zoom.RequestsFor("down-1").Should().HaveCount(6, "two attempts of one request and two retries each");
        System.IO.File.Exists(Path.Combine(host.RecordingsPath, RecordingEvents.AccountId, "r3Cd_2B9QvT_2FaZ1xW8mN0p2g_3D_3D", "down-1.mp4")).Should().BeFalse();
    }

    [Fact]
    public async Task A_connection_dropped_halfway_resumes_with_a_range_request_where_the_server_takes_one_and_restarts_where_it_does_not()
    {
        var ranged = _zoom.Add("ranged-1", 3_000_000, Token);
        ranged.DropAt = 1_500_000;
        var plain = _zoom.Add("plain-1", 3_000_000, Token);
        plain.DropAt = 1_500_000;
        plain.SupportsRanges = false;
        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed(Token, [File("ranged-1", ranged.Size, create: false), File("plain-1", plain.Size, create: false)]));
        var announced = await host.Downloaded.WaitForAsync(2);

        foreach (var name in (string[])["ranged-1", "plain-1"])
        {
            SHA256.HashData(System.IO.File.ReadAllBytes(announced.Single(n => n.FileId == name).Path)).Should().Equal(FakeZoomFiles.Sha256(name, 3_000_000));
        }

        var resumed = _zoom.RequestsFor("ranged-1");
        resumed.Should().HaveCount(2);
        resumed[0].Range.Should().BeEmpty();
        resumed[1].Range.Should().MatchRegex(@"^bytes=[1-9]\d*-$", "it asks for the rest only");
        _zoom.RequestsFor("plain-1").Should().HaveCount(2, "the second request asked for a range, got the whole file, and wrote it from the start");
        host.Factory.Logs.AllText().Should().Contain("downloading from the start");
    }

    [Fact]
    public async Task An_expired_download_token_falls_back_to_the_accounts_oauth_token()
    {
        var tokens = new FixedTokens();
        _zoom.Add("late-1", 20_000, tokens.TokenFor(RecordingEvents.AccountId));
        using var host = RecordingHost.Start(services: s => s.AddSingleton<IZoomTokens>(tokens));

        await host.PostAsync(RecordingEvents.Completed("dl-token-expired-Vb3", [File("late-1", 20_000, create: false)]));
        await host.WaitForStatusAsync("late-1", RecordingStatus.Done);

        _zoom.RequestsFor("late-1").Select(r => r.BearerToken).Should().Equal("dl-token-expired-Vb3", tokens.TokenFor(RecordingEvents.AccountId));
        tokens.Asked.Should().Equal(RecordingEvents.AccountId);
        host.Factory.Logs.AllText().Should().NotContain("dl-token-expired-Vb3").And.NotContain(tokens.TokenFor(RecordingEvents.AccountId));
    }

    [Fact]
    public async Task An_expired_download_token_without_an_authorized_app_fails_the_job_at_once_saying_so()
    {
        _zoom.Add("late-2", 20_000, "a-token-nobody-has");
        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed("dl-token-expired-Kp4", [File("late-2", 20_000, create: false)]));
        var job = await host.WaitForStatusAsync("late-2", RecordingStatus.Failed);

        job.Attempts.Should().Be(1, "another attempt would be refused alike");
        job.LastError.Should().Contain("HTTP 401").And.Contain("not authorized for the account").And.Contain("/zoom/login").And.NotContain("dl-token-expired-Kp4");
        _zoom.RequestsFor("late-2").Should().ContainSingle();
        host.Factory.Logs.AllText().Should().NotContain("dl-token-expired-Kp4");
    }

    [Fact]
    public async Task The_metrics_count_jobs_by_status_attempts_by_outcome_and_the_bytes_put_in_place()
    {
        using var host = RecordingHost.Start();
        var files = new[] { File("metric-1", 70_000), File("metric-2", 30_000), new EventFile("metric-outside", $"http://localhost:{_zoom.Port}/x", 1_000) };

        await host.PostAsync(RecordingEvents.Completed(Token, files));
        await host.WaitForStatusAsync("metric-outside", RecordingStatus.Failed);
        await host.WaitForStatusAsync("metric-1", RecordingStatus.Done);
        await host.WaitForStatusAsync("metric-2", RecordingStatus.Done);

        // The counters move just after the job's row does.
        var metrics = await Eventually.Until(() => host.Factory.CreateClient().GetStringAsync("/metrics"),
            m => m.Contains("zoomwebhooks_recording_attempts_total{outcome=\"done\"} 2", StringComparison.Ordinal));
        metrics.Should().Contain("zoomwebhooks_recording_jobs{status=\"done\"} 2")
            .And.Contain("zoomwebhooks_recording_jobs{status=\"failed\"} 1")
            .And.Contain("zoomwebhooks_recording_jobs{status=\"pending\"} 0")
            .And.Contain("zoomwebhooks_recording_attempts_total{outcome=\"done\"} 2")
            .And.Contain("zoomwebhooks_recording_attempts_total{outcome=\"failed\"} 1")
            .And.Contain("zoomwebhooks_recording_bytes_total 100000");
    }

    [Fact]
    public async Task Without_Recordings_Path_there_are_no_recording_metrics()
    {
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:Path"] = null });

        (await host.Factory.CreateClient().GetStringAsync("/metrics")).Should().Contain("zoomwebhooks_inbox_events").And.NotContain("zoomwebhooks_recording");
    }

    [Fact]
    public async Task A_host_outside_the_allow_list_is_never_contacted_neither_as_the_url_nor_as_a_redirect()
    {
        _zoom.Add("elsewhere-1", 1_000, Token);
        _zoom.Add("hop-ok", 1_000, Token);
        var outside = $"http://localhost:{_zoom.Port}/rec/download/elsewhere-1";
        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed(Token,
        [
            new EventFile("direct-1", outside, 1_000),
            new EventFile("redirected-1", _zoom.RedirectTo("r1", outside), 1_000),
            new EventFile("redirected-ok", _zoom.RedirectTo("r2", _zoom.UrlOf("hop-ok")), 1_000),
        ]));
        var direct = await host.WaitForStatusAsync("direct-1", RecordingStatus.Failed);
        var redirected = await host.WaitForStatusAsync("redirected-1", RecordingStatus.Failed);
        await host.WaitForStatusAsync("redirected-ok", RecordingStatus.Done);

        direct.LastError.Should().Contain("host localhost").And.Contain("Recordings:AllowedHosts");
        redirected.LastError.Should().Contain("A redirect names host localhost");
        _zoom.Requests.Should().NotContain(r => r.Host.StartsWith("localhost", StringComparison.Ordinal), "the fake server records every request it gets");
        _zoom.Requests.Select(r => r.Path).Should().BeEquivalentTo(["/rec/redirect/r1", "/rec/redirect/r2", "/rec/download/hop-ok"]);
    }

    [Fact]
    public async Task A_redirect_to_another_allowed_host_is_followed_without_the_token()
    {
        _zoom.Add("cdn-1", 8_000).RequiresToken = false;
        var cdn = $"http://localhost:{_zoom.Port}/rec/download/cdn-1";
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:AllowedHosts:1"] = "localhost" });

        await host.PostAsync(RecordingEvents.Completed(Token, [new EventFile("via-cdn", _zoom.RedirectTo("r3", cdn), 8_000)]));
        await host.WaitForStatusAsync("via-cdn", RecordingStatus.Done);

        var requests = _zoom.Requests;
        requests.Select(r => (r.Path, r.Authorization)).Should().Equal(("/rec/redirect/r3", "Bearer " + Token), ("/rec/download/cdn-1", ""));
        requests[1].Host.Should().StartWith("localhost");
    }

    [Fact]
    public async Task Hostile_ids_extensions_uuids_and_accounts_stay_inside_the_recordings_folder()
    {
        var hostile = new[] { "../../../escaped", "..", "a/b\\c", "x\u0000y", "/etc/passwd", "CON" };
        var extensions = new[] { "../../sh", ".", "mp4/../../..", "", "MP4", "a\u2028b" };
        var files = hostile.Select((id, i) => new EventFile(id, _zoom.UrlOf($"h{i}"), 100 + i, extensions[i])).ToList();
        for (var i = 0; i < files.Count; i++)
        {
            _zoom.Add($"h{i}", 100 + i, Token);
        }

        using var host = RecordingHost.Start();

        await host.PostAsync(RecordingEvents.Completed(Token, files, accountId: "../..", meetingUuid: "../../../tmp/x=="));
        var announced = await host.Downloaded.WaitForAsync(files.Count);

        var root = Path.GetFullPath(host.RecordingsPath) + Path.DirectorySeparatorChar;
        announced.Should().OnlyContain(n => Path.GetFullPath(n.Path).StartsWith(root, StringComparison.Ordinal));
        announced.Select(n => n.Path).Should().OnlyHaveUniqueItems();
        host.FilesUnderRoot().Should().HaveCount(files.Count).And.OnlyContain(f => f.StartsWith("rec" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        announced.Single(n => n.FileId == "../../../escaped").Path.Should().Be(Path.Combine(host.RecordingsPath, "_2E_2E_2F_2E_2E", "_2E_2E_2F_2E_2E_2F_2E_2E_2Ftmp_2Fx_3D_3D", "_2E_2E_2F_2E_2E_2F_2E_2E_2Fescaped.bin"));
    }

    [Fact]
    public async Task A_checksum_the_server_sends_is_checked_and_a_mismatch_is_not_kept()
    {
        _zoom.Add("sum-ok", 70_000, Token).Digest = FakeZoomFiles.Sha256("sum-ok", 70_000);
        _zoom.Add("sum-bad", 70_000, Token).Digest = SHA256.HashData("something else"u8);
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:MaxAttempts"] = "2" });

        await host.PostAsync(RecordingEvents.Completed(Token, [File("sum-ok", 70_000, create: false), File("sum-bad", 70_000, create: false)]));
        await host.WaitForStatusAsync("sum-ok", RecordingStatus.Done);
        var bad = await host.WaitForStatusAsync("sum-bad", RecordingStatus.Failed);

        bad.LastError.Should().Contain("SHA-256 differs");
        host.FilesUnderRoot().Should().ContainSingle().Which.Should().EndWith("sum-ok.mp4");
    }

    [Fact]
    public async Task No_more_files_are_fetched_at_once_than_Recordings_Concurrency()
    {
        var files = Enumerable.Range(0, 6).Select(i => File($"c{i}", 2_000_000)).ToList();
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:Concurrency"] = "2" });

        await host.PostAsync(RecordingEvents.Completed(Token, files));
        await host.Downloaded.WaitForAsync(6);

        _zoom.MaxConcurrentTransfers.Should().BeInRange(1, 2);
    }

    [Fact]
    public async Task A_failing_handler_of_the_notification_is_retried_without_downloading_again()
    {
        using var host = RecordingHost.Start();
        var fail = 2;
        host.Downloaded.OnReceived = _ => Interlocked.Decrement(ref fail) >= 0 ? throw new InvalidOperationException("storage down") : Task.CompletedTask;

        await host.PostAsync(RecordingEvents.Completed(Token, [File("pub-1", 30_000)]));
        var job = await host.WaitForStatusAsync("pub-1", RecordingStatus.Done);

        host.Downloaded.Received.Should().ContainSingle();
        job.Attempts.Should().Be(3);
        _zoom.RequestsFor("pub-1").Should().ContainSingle();
    }

    [Fact]
    public async Task A_failed_job_is_retried_through_the_api_and_only_a_failed_one()
    {
        var served = _zoom.Add("retry-1", 5_000, "a-token-nobody-has");
        using var host = RecordingHost.Start();
        await host.PostAsync(RecordingEvents.Completed(Token, [File("retry-1", 5_000, create: false)]));
        await host.WaitForStatusAsync("retry-1", RecordingStatus.Failed);
        served.Tokens.Add(Token);
        using var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RecordingHost.AdminKey);

        using var retried = await client.PostAsync("/api/recordings/retry-1/retry", null);
        var job = await host.WaitForStatusAsync("retry-1", RecordingStatus.Done);
        using var again = await client.PostAsync("/api/recordings/retry-1/retry", null);
        using var unknown = await client.PostAsync("/api/recordings/nope/retry", null);
        using var anonymous = await host.Factory.CreateClient().GetAsync("/api/recordings");

        retried.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        job.Attempts.Should().Be(1, "the retry reset them");
        again.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
        unknown.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        anonymous.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Without_Recordings_Path_a_recording_event_queues_and_fetches_nothing()
    {
        using var host = RecordingHost.Start(new Dictionary<string, string?> { ["Recordings:Path"] = null });

        await host.PostAsync(RecordingEvents.Completed(Token, [File("off-1", 1_000)]));
        await Eventually.Until(() => host.Factory.Inbox.ListAsync(new InboxQuery(InboxStatus.Done, null, null, null, 10), default), l => l.Count == 1);

        (await host.Store.ListAsync(null, 10, default)).Should().BeEmpty();
        _zoom.Requests.Should().BeEmpty();
        host.Factory.Logs.AllText().Should().Contain("Recordings are off");
    }

    private static async Task<JsonElement> ListAsync(RecordingHost host)
    {
        using var client = host.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", RecordingHost.AdminKey);
        return await client.GetFromJsonAsync<JsonElement>("/api/recordings");
    }

    private EventFile File(string name, long size, string extension = "MP4", string fileType = "MP4", string recordingType = "shared_screen_with_speaker_view", bool create = true)
    {
        if (create)
        {
            _zoom.Add(name, size, Token);
        }

        return new EventFile(name, _zoom.UrlOf(name), size, extension, fileType, recordingType);
    }

    /// <summary>An authorized app's tokens, one per account, as <see cref="IZoomTokens"/> hands them to handlers.</summary>
    private sealed class FixedTokens : IZoomTokens
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _asked = new();

        public IReadOnlyList<string> Asked => [.. _asked];

        public string TokenFor(string accountId) => "oauth-access-" + accountId;

        public Task<string> GetAccessTokenAsync(string accountId, CancellationToken cancellationToken = default)
        {
            _asked.Enqueue(accountId);
            return Task.FromResult(TokenFor(accountId));
        }
    }
}
