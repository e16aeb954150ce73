using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_with_nothing_but_the_status()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        (await client.GetStringAsync(new Uri("/health/live", UriKind.Relative))).Should().Be("Healthy");
        (await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative))).Should().Be("Healthy");
    }

    [Fact]
    public async Task Ready_goes_unready_when_the_inbox_does_not_answer_while_live_stays_up()
    {
        var (inbox, _) = FaultyInbox.Wrap(new SqliteInbox($"Data Source={TempDatabase.NewPath()}"), nameof(IInbox.PingAsync));
        using var factory = new ServiceFactory().WithServices(s => s.AddSingleton(inbox));
        var client = factory.CreateClient();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Unhealthy").And.NotContain("disk");
        (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_goes_unready_when_the_dispatcher_loop_stops_beating()
    {
        // Deaf to cancellation: one that heeds it is cut off by its timeout or a lost lease, and
        // the loop goes on by itself.
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            OnGeneric = async (_, _) =>
            {
                entered.TrySetResult();
                await release.Task;
            },
        };
        using var factory = new ServiceFactory().WithServices(s => RecordingHandler.AddTo(s, handler));
        try
        {
            await factory.PostSignedAsync(Payloads.Custom("meeting.created"));
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
            var client = factory.CreateClient();
            (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);

            // A handler stuck past a lease and a few polls: the loop is not coming back by itself.
            factory.FakeTime.Advance(TimeSpan.FromMinutes(3));

            (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
