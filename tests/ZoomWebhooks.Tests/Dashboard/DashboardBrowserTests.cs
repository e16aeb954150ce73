using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ZoomWebhooks.Events;
using ZoomWebhooks.Recordings;
using ZoomWebhooks.Tests.Meetings;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's chromium, headless, driven by Playwright (its .NET
/// package brings the driver; no browser is downloaded). The service listens on 127.0.0.1 through
/// Kestrel. Screenshots of each page go to <c>screenshots/</c> in the test output; the README's
/// two come from such a run. Without chromium the test fails: <c>.ci/run</c> installs it.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task An_operator_logs_in_replays_a_dead_event_and_reads_a_meetings_timeline()
    {
        File.Exists(Chromium).Should().BeTrue($"the browser test drives Debian's chromium at {Chromium} (apt-get install chromium; .ci/run does)");
        var downstreamUp = false;
        var handler = new RecordingHandler
        {
            OnGeneric = (e, _) => e.EventName == "meeting.created" && !Volatile.Read(ref downstreamUp)
                ? throw new InvalidOperationException("CRM down: 503 from crm.example.test")
                : Task.CompletedTask,
        };
        using var factory = DashboardAccessTests.Factory(new()
        {
            ["Inbox:MaxAttempts"] = "3",
            ["Inbox:Publish:Retries"] = "0",
            ["Zoom:Environments:Development:ClientId"] = "DevClientId42",
        }).WithServices(s => RecordingHandler.AddTo(s, handler));
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var site = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var stays = await DeliverAsync(factory);
        await Eventually.Until(() => TickAsync(factory),
            rows => rows.Count(r => r.Status == "done") == rows.Count - 1 && rows.Count(r => r.Status == "dead") == 1,
            because: "every delivery is dispatched and the CRM event is dead");

        var shots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var profile = Directory.CreateTempSubdirectory("zoomwebhooks-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
                ViewportSize = new() { Width = 1280, Height = 900 },
                Timeout = 60_000,
            });
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            // Generous: a wait ends as soon as the page is there; a loaded 2-core runner was seen past 10 s.
            page.SetDefaultTimeout(30_000);
            var blocked = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    blocked.Add(message.Text);
                }
            };

            await page.GotoAsync(site + "/dashboard");
            page.Url.Should().EndWith("/dashboard/login", "no session, no data");
            await Shoot(page, shots, "login");
            await page.FillAsync("input[name=key]", DashboardClient.Key);
            await page.ClickAsync("button[type=submit].primary");
            await page.WaitForURLAsync(site + "/dashboard");
            (await page.TextContentAsync("#count-dead .value")).Should().Be("1");
            (await page.Locator("svg.chart.accepted rect.bar").CountAsync()).Should().BeGreaterThan(0, "this minute's deliveries are drawn");
            await Shoot(page, shots, "overview");

            await page.ClickAsync("nav >> text=Events");
            var dead = page.Locator("#events tr[data-status=dead]");
            (await dead.CountAsync()).Should().Be(1);
            await Shoot(page, shots, "events");
            await dead.Locator("a").ClickAsync();
            (await page.TextContentAsync("#status")).Should().Be("dead");
            (await page.Locator("#attempts tbody tr").CountAsync()).Should().Be(3, "three attempts failed, each with its error");
            (await page.TextContentAsync("#attempts")).Should().Contain("CRM down");
            await Shoot(page, shots, "event-dead");

            Volatile.Write(ref downstreamUp, true);
            await page.ClickAsync("#replay");
            await page.WaitForURLAsync("**/dashboard/events/*?replayed=1");
            await Eventually.Until(async () =>
            {
                await TickAsync(factory);
                await page.ReloadAsync();
                return await page.TextContentAsync("#status");
            }, status => status == "done", because: "the replayed event is dispatched");
            await Shoot(page, shots, "event-replayed");

            await page.ClickAsync("nav >> text=Meetings");
            await Shoot(page, shots, "meetings");
            await page.ClickAsync("table.meetings.ended a");
            var bars = await page.Locator("svg.timeline rect.stay").CountAsync();
            bars.Should().Be(stays, "one bar per stay");
            (await page.Locator("svg.timeline g.person").CountAsync()).Should().Be(4, "one row per participant");
            (await page.GetAttributeAsync("#csv", "href")).Should().EndWith("/attendance.csv");
            await Shoot(page, shots, "meeting-timeline");

            // Recordings (no Recordings:Path here, so no worker: the jobs stay as queued): a failed one retried.
            var store = factory.Services.GetRequiredService<RecordingStore>();
            foreach (var (id, type, size) in new[] { ("rec-mp4-1", "MP4", 48_213_004L), ("rec-m4a-1", "M4A", 6_120_448L) })
            {
                await store.EnqueueAsync(new RecordingFile(id, "acct-1", new MeetingRef(MeetingSamples.SampleUuid, "84512739061", "Sprint review, Café Zürich", "host-1"),
                    "recording.completed", 1, 1, type, type, "shared_screen_with_speaker_view", size, $"https://zoom.us/rec/download/{id}", "not-a-real-token",
                    RecordingPaths.Relative("acct-1", MeetingSamples.SampleUuid, id, type)), factory.Time.GetUtcNow(), CancellationToken.None);
            }

            var claimed = await store.ClaimAsync(2, factory.Time.GetUtcNow(), TimeSpan.FromMinutes(1), CancellationToken.None);
            await store.FailAsync(claimed.Single(j => j.File.FileId == "rec-m4a-1"), factory.Time.GetUtcNow(), "HTTP 404 from zoom.us", CancellationToken.None);
            await store.MarkDownloadedAsync(claimed.Single(j => j.File.FileId == "rec-mp4-1"), 48_213_004, CancellationToken.None);
            await store.CompleteAsync(claimed.Single(j => j.File.FileId == "rec-mp4-1"), factory.Time.GetUtcNow(), CancellationToken.None);
            await page.ClickAsync("nav >> text=Recordings");
            (await page.Locator("#recordings tr[data-status=failed] button.retry").CountAsync()).Should().Be(1, "the failed file has a Retry button");
            await Shoot(page, shots, "recordings");
            await page.ClickAsync("#recordings tr[data-status=failed] button.retry");
            (await page.TextContentAsync("p.flash")).Should().Contain("Retried");
            (await page.Locator("#recordings tr[data-status=failed]").CountAsync()).Should().Be(0, "the retried file is pending again");
            blocked.Should().BeEmpty("nothing on the pages breaks their Content-Security-Policy");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Moves the service's clock a second (a retry's delay passes, the dispatcher polls) and reads the inbox.</summary>
    private static Task<IReadOnlyList<InboxRows.Row>> TickAsync(ServiceFactory factory)
    {
        factory.FakeTime.Advance(TimeSpan.FromSeconds(1));
        return InboxRows.ReadAsync(factory.DatabasePath);
    }

    private static Task Shoot(IPage page, string folder, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"dashboard-{name}.png"), FullPage = true });

    /// <summary>
    /// The sample meeting with three more people, a dead CRM event, duplicates, forgeries and a URL
    /// validation, spread over the last hour of the service's clock so the charts have a shape;
    /// the count of stays. The topic and names lose their emoji and CJK: the test machine's
    /// chromium has no font for them, and the screenshots go into the README.
    /// </summary>
    private static async Task<int> DeliverAsync(ServiceFactory factory)
    {
        var bodies = MeetingSamples.Events().Select(e => e.Body).ToList();
        (string Name, string Key, (string Joined, string Left)[] Stays)[] people =
        [
            ("Ada Lovelace", "A1DA0000-0000-4000-8000-000000000001", [("09:01:30", "09:46:00")]),
            ("Grace Hopper", "A1DA0000-0000-4000-8000-000000000002", [("09:05:00", "09:15:00"), ("09:30:00", "09:40:00")]),
            ("Linus Pauling", "A1DA0000-0000-4000-8000-000000000003", [("09:10:00", "09:12:00"), ("09:20:00", "09:33:00"), ("09:38:00", "09:44:00")]),
        ];
        var joined = RepositoryFiles.Read("samples/meeting.participant_joined.json");
        var left = RepositoryFiles.Read("samples/meeting.participant_left.json");
        foreach (var person in people)
        {
            foreach (var (from, to) in person.Stays)
            {
                bodies.Add(Person(joined, person.Name, person.Key, "2026-11-30T09:02:35Z", from));
                bodies.Add(Person(left, person.Name, person.Key, "2026-11-30T09:45:12Z", to));
            }
        }

        bodies.Add(RepositoryFiles.Read("samples/meeting.created.json"));
        for (var i = 0; i < bodies.Count; i++)
        {
            var body = System.Text.RegularExpressions.Regex.Replace(bodies[i], "\"topic\": \"[^\"]*\"", "\"topic\": \"Sprint review, Café Zürich\"")
                .Replace(" 🎧", "", StringComparison.Ordinal);
            (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK);
            if (i % 3 == 0)
            {
                (await factory.PostSignedAsync(body)).StatusCode.Should().Be(HttpStatusCode.OK, "a duplicate (Zoom retries)");
            }

            if (i % 5 == 0)
            {
                (await factory.PostSignedAsync(Payloads.Custom("meeting.deleted"), secret: "not-the-secret-token-at-all-000"))
                    .StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a forgery");
            }

            await Eventually.Until(() => TickAsync(factory), rows => rows.All(r => r.Status is "done" or "dead"), because: "the delivery is dispatched");
            factory.FakeTime.Advance(TimeSpan.FromMinutes(3));
        }

        var stale = factory.Time.GetUtcNow().AddMinutes(-30).ToUnixTimeSeconds();
        (await factory.PostSignedAsync(Payloads.Custom("meeting.updated"), timestamp: stale)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a replayed old delivery");
        (await factory.PostSignedAsync(Payloads.UrlValidation("plain-token-1"))).StatusCode.Should().Be(HttpStatusCode.OK);
        return 2 + people.Sum(p => p.Stays.Length);
    }

    private static string Person(string sample, string name, string key, string sampleTime, string time)
    {
        var at = DateTimeOffset.Parse("2026-11-30T" + time + "Z", CultureInfo.InvariantCulture);
        var slug = name.Split(' ')[0].ToLowerInvariant();
        return sample
            .Replace("Søren Ødegård 🎧", name, StringComparison.Ordinal)
            .Replace(MeetingSamples.ParticipantKey, key, StringComparison.Ordinal)
            .Replace("\"user_id\": \"16778240\"", $"\"user_id\": \"{key[^6..]}\"", StringComparison.Ordinal)
            .Replace("Vb3nR8sKQeyT1mZx5wLp0A", "pu-" + slug, StringComparison.Ordinal)
            .Replace(MeetingSamples.Email, slug + "@example.test", StringComparison.Ordinal)
            .Replace(sampleTime, at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(System.Text.RegularExpressions.Regex.Match(sample, "\"event_ts\": *(\\d+)").Groups[1].Value,
                at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
