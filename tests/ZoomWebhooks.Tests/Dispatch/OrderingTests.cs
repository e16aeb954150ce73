using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Dispatch;

/// <summary>Inbox:Ordering end to end: the key each delivery is stored with, and what runs beside what.</summary>
public sealed class OrderingTests
{
    [Theory]
    [InlineData("Participant", "{uuid}|p-111", "{uuid}", null)]
    [InlineData("Meeting", "{uuid}", "{uuid}", null)]
    public async Task Each_delivery_is_stored_with_the_key_its_ordering_gives(string ordering, string participantKey, string meetingKey, string? noKey)
    {
        using var factory = new ServiceFactory(new Dictionary<string, string?> { ["Inbox:Ordering"] = ordering, ["Inbox:PollInterval"] = "01:00:00" });
        var uuid = Payloads.NewUuid();

        await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 2_000, userId: "111"));
        await factory.PostSignedAsync(Payloads.MeetingStarted(uuid, eventTs: 1_000));
        await factory.PostSignedAsync("""{"event":"app_deauthorized","event_ts":3000,"payload":{"account_id":"a","user_id":"u"}}""");

        (await InboxRows.ColumnAsync(factory.DatabasePath, "ordering_key")).Should().Equal(participantKey.Replace("{uuid}", uuid), meetingKey.Replace("{uuid}", uuid), noKey);
    }

    [Fact]
    public async Task By_participant_one_person_s_events_wait_for_each_other_while_others_in_the_meeting_go_ahead()
    {
        var uuid = Payloads.NewUuid();
        var blocker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler
        {
            OnGeneric = async (e, ct) =>
            {
                if (e.EventName == "meeting.created")
                {
                    // Holds the dispatcher's first batch until the meeting's three events are stored, so they are claimed together.
                    await blocker.Task.WaitAsync(ct);
                }
                else if (e.RawJson.Contains("\"user_id\":\"ada\"", StringComparison.Ordinal) && e.EventTs == 2_000)
                {
                    // Ada's join is held until Grace's join has been handled: it never would be, one meeting at a time.
                    await release.Task.WaitAsync(ct);
                }
            },
        };
        using var factory = new ServiceFactory(time: TimeProvider.System).WithServices(s => RecordingHandler.AddTo(s, handler));
        await factory.PostSignedAsync(Payloads.Custom("meeting.created", eventTs: 1_000));
        await Eventually.Until(() => InboxRows.ReadAsync(factory.DatabasePath), rows => rows.Single().Status == "processing");

        await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 2_000, userId: "ada"));
        await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 2_500, userId: "ada").Replace("participant_joined", "participant_left"));
        await factory.PostSignedAsync(Payloads.ParticipantJoined(uuid, eventTs: 3_000, userId: "grace"));
        blocker.SetResult();
        await Eventually.Until(() => Task.FromResult(handler.Generic.Count), n => n == 2, because: "Grace's join is handled beside Ada's held one");
        handler.Generic[1].EventTs.Should().Be(3_000);

        release.SetResult();
        await handler.WaitForGenericAsync(4);
        handler.Generic.Where(g => g.RawJson.Contains("\"user_id\":\"ada\"", StringComparison.Ordinal)).Select(g => g.EventName)
            .Should().Equal(["meeting.participant_joined", "meeting.participant_left"], "Ada's leave waited for her join");
    }
}
