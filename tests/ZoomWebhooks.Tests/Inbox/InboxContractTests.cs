using System.Text;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// What every inbox provider promises, as one suite that runs once per provider (the subclasses
/// in InboxProviders.cs). Each test gets a store of its own. Times are passed in explicitly, as the
/// dispatcher does, so lease expiry and retry delays need no clock.
/// </summary>
public abstract partial class InboxContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private readonly List<IInbox> _opened = [];

    /// <summary>Settings that point a <see cref="Support.ServiceFactory"/> at this test's store.</summary>
    protected abstract IDictionary<string, string?> HostSettings { get; }

    private protected IInbox Inbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await CreateStoreAsync();
        Inbox = await OpenInitializedAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var inbox in _opened)
        {
            (inbox as IDisposable)?.Dispose();
        }

        await DeleteStoreAsync();
    }

    protected abstract Task CreateStoreAsync();

    /// <summary>A new inbox object on the same store: what a restarted service gets.</summary>
    private protected abstract IInbox OpenInbox();

    protected abstract Task DeleteStoreAsync();

    private protected async Task<IInbox> OpenInitializedAsync()
    {
        var inbox = OpenInbox();
        _opened.Add(inbox);
        await inbox.InitializeAsync(CancellationToken.None);
        return inbox;
    }

    private protected static IncomingEvent Event(string? meeting = null, long ts = 1, string? requestId = null, string? body = null, DateTimeOffset? receivedAt = null)
    {
        body ??= $$"""{"event":"meeting.participant_joined","event_ts":{{ts}},"payload":{"object":{"uuid":"{{meeting}}","n":"{{Guid.NewGuid():N}}"} } }""";
        return IncomingEvent.Create(Encoding.UTF8.GetBytes(body), "meeting.participant_joined", ts, meeting,
            requestId ?? Guid.NewGuid().ToString(), "tracking-1", receivedAt ?? T0);
    }

    private protected async Task<long> AcceptAsync(IncomingEvent incoming)
    {
        var result = await Inbox.AcceptAsync(incoming, CancellationToken.None);
        result.IsNew.Should().BeTrue();
        return result.Id!.Value;
    }

    private protected Task<IReadOnlyList<ClaimedEvent>> ClaimAsync(DateTimeOffset now, int max = 16) =>
        Inbox.ClaimAsync(max, now, Lease, CancellationToken.None);

    private protected async Task<InboxEntry> FindAsync(long id) =>
        (await Inbox.FindAsync(id, CancellationToken.None))!;

    [Fact]
    public async Task Accept_stores_a_new_event_as_pending_with_every_field()
    {
        var incoming = Event(meeting: "m+/1==", ts: 1_772_441_000_123);

        var id = await AcceptAsync(incoming);

        var entry = await FindAsync(id);
        entry.Should().BeEquivalentTo(new
        {
            Id = id,
            incoming.EventName,
            incoming.EventTs,
            MeetingUuid = "m+/1==",
            incoming.RequestId,
            TrackingId = "tracking-1",
            incoming.BodyHash,
            incoming.Body,
            ReceivedAt = T0,
            Status = InboxStatus.Pending,
            Attempts = 0,
            NextAttemptAt = T0,
            LeaseUntil = (DateTimeOffset?)null,
            LastError = (string?)null,
            CompletedAt = (DateTimeOffset?)null,
        });
    }

    [Fact]
    public async Task Accept_of_the_same_request_id_and_event_ts_is_a_duplicate_even_with_another_body()
    {
        var first = Event(requestId: "req-1", ts: 1_772_441_000_123);
        await AcceptAsync(first);

        var again = await Inbox.AcceptAsync(Event(requestId: "req-1", ts: 1_772_441_000_123), CancellationToken.None);

        again.Should().Be(AcceptResult.Duplicate);
    }

    /// <summary>
    /// The request id's key is the event's time and the id (<see cref="IncomingEvent.RequestKey"/>):
    /// Zoom's retry repeats both, a body with another <c>event_ts</c> is another event.
    /// </summary>
    [Fact]
    public async Task Accept_of_the_same_request_id_with_another_event_ts_stores_another_event()
    {
        var first = await AcceptAsync(Event(requestId: "req-1", ts: 1_772_441_000_123));

        var other = await Inbox.AcceptAsync(Event(requestId: "req-1", ts: 1_772_441_000_124), CancellationToken.None);

        other.IsNew.Should().BeTrue();
        other.Id.Should().NotBe(first);
        (await Inbox.AcceptAsync(Event(requestId: "req-1", ts: 1_772_441_000_124), CancellationToken.None)).Should().Be(AcceptResult.Duplicate);
    }

    [Fact]
    public async Task Accept_of_the_same_body_is_a_duplicate_even_with_another_request_id_or_none()
    {
        var first = Event(requestId: "req-1");
        await AcceptAsync(first);
        var body = Encoding.UTF8.GetString(first.Body);

        (await Inbox.AcceptAsync(Event(requestId: "req-2", body: body), CancellationToken.None)).IsNew.Should().BeFalse();
        var withoutId = first with { RequestId = null };
        (await Inbox.AcceptAsync(withoutId, CancellationToken.None)).IsNew.Should().BeFalse();
    }

    [Fact]
    public async Task Events_without_a_request_id_are_told_apart_by_their_body()
    {
        (await Inbox.AcceptAsync(Event() with { RequestId = null }, CancellationToken.None)).IsNew.Should().BeTrue();
        (await Inbox.AcceptAsync(Event() with { RequestId = null }, CancellationToken.None)).IsNew.Should().BeTrue();
    }

    [Fact]
    public async Task Concurrent_accepts_of_one_event_store_it_once()
    {
        var incoming = Event(requestId: "req-race");
        var inboxes = new[] { Inbox, await OpenInitializedAsync() };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => inboxes[i % 2].AcceptAsync(incoming, CancellationToken.None))));

        results.Count(r => r.IsNew).Should().Be(1);
        (await ClaimAsync(T0)).Should().ContainSingle();
    }

    [Fact]
    public async Task Initialize_is_idempotent_and_a_restarted_inbox_sees_the_stored_events()
    {
        var id = await AcceptAsync(Event());

        var restarted = await OpenInitializedAsync();
        await restarted.InitializeAsync(CancellationToken.None);

        (await restarted.FindAsync(id, CancellationToken.None))!.Status.Should().Be(InboxStatus.Pending);
        await restarted.PingAsync(CancellationToken.None);
    }
}
