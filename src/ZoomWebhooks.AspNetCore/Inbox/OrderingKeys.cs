namespace ZoomWebhooks.Inbox;

/// <summary>
/// The ordering key an event is stored with, chosen when it is accepted (<c>Inbox:Ordering</c>).
/// Events of one key are dispatched one at a time, oldest <c>event_ts</c> first; events of
/// different keys, and events without one, run in parallel. Zoom does not order its deliveries
/// anyway; what a handler needs is that one person's join and leave are seen in order, not that
/// a whole meeting waits behind each of them (issue 15).
/// </summary>
internal static class OrderingKeys
{
    // Not in base64 (meeting uuids) and not in Zoom's ids: a participant key never makes another meeting's key.
    private const char Separator = '|';

    /// <param name="meetingUuid">The meeting or webinar uuid, <c>payload.object.uuid</c>.</param>
    /// <param name="participantKey">The participant's key when the event is about one (<see cref="ParticipantRef.Key"/>).</param>
    public static string? For(InboxOrdering ordering, string? meetingUuid, string? participantKey) =>
        meetingUuid is null ? null
        : ordering == InboxOrdering.Meeting || participantKey is null ? meetingUuid
        : meetingUuid + Separator + participantKey;
}
