namespace ZoomWebhooks.Meetings;

/// <summary>
/// The meeting (or webinar: <see cref="Kind"/>) as its facts describe it; <see cref="Status"/> is
/// <c>live</c> until an end is known.
/// </summary>
internal sealed record MeetingSummary(
    string Uuid,
    string? MeetingId,
    string? Topic,
    string? HostId,
    string? AccountId,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string Status,
    string Kind = MeetingKind.Meeting)
{
    public const string Live = "live";
    public const string Ended = "ended";
}

/// <summary>One stay in the meeting; <see cref="Left"/> is null while the participant is still there.</summary>
internal sealed record AttendanceInterval(DateTimeOffset Joined, DateTimeOffset? Left);

/// <summary>A participant's stays and the time present over the closed ones.</summary>
internal sealed record ParticipantAttendance(
    string Key,
    string? Name,
    string? UserId,
    string? ParticipantUserId,
    string? Email,
    IReadOnlyList<AttendanceInterval> Intervals,
    long TotalSeconds);

internal sealed record MeetingDetail(MeetingSummary Meeting, IReadOnlyList<ParticipantAttendance> Participants);

/// <summary>
/// Computes a meeting and its attendance from its facts. A pure function of the SET of facts:
/// repeats are dropped by key and everything is sorted by Zoom's times before it is read, so any
/// arrival order and any duplication give the same answer (the property test drives exactly this).
/// The summary rules match <see cref="MeetingSchema.SqliteSummaries"/>, whose triggers keep the same in SQL for listings.
/// </summary>
internal static class MeetingProjection
{
    public static MeetingDetail Project(string uuid, IEnumerable<MeetingFact> facts)
    {
        var all = facts.Where(f => f.MeetingUuid == uuid).DistinctBy(f => f.Key).ToList();
        var summary = Summarize(uuid, all);
        var participants = all.Where(f => f.IsAttendance)
            .GroupBy(f => f.ParticipantKey, StringComparer.Ordinal)
            .Select(g => Attend(g.Key, [.. g], summary))
            .OrderBy(p => p.Intervals.Count == 0 ? DateTimeOffset.MaxValue : p.Intervals[0].Joined)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToList();
        return new MeetingDetail(summary, participants);
    }

    public static MeetingSummary Summarize(string uuid, IReadOnlyCollection<MeetingFact> facts)
    {
        var end = facts.Where(f => f.Kind == FactKind.Ended).Select(f => (DateTimeOffset?)f.OccurredAt).Max();
        return new MeetingSummary(
            uuid,
            Greatest(facts.Select(f => f.MeetingId)),
            Greatest(facts.Select(f => f.Topic)),
            Greatest(facts.Select(f => f.HostId)),
            Greatest(facts.Select(f => f.AccountId)),
            facts.Select(f => f.MeetingStart).Min(),
            end,
            end is null ? MeetingSummary.Live : MeetingSummary.Ended,
            Greatest(facts.Select(f => f.Subject)) ?? MeetingKind.Meeting);
    }

    /// <summary>
    /// Walks one participant's joins and leaves in Zoom's time order. A leave closes the open stay;
    /// a first leave with no join before it is a stay from the meeting start (the join was lost or
    /// predates the subscription); a stay still open when the meeting ended closes at its end.
    /// At one instant, a present participant leaves first (leave and rejoin), an absent one joins
    /// first (a stay of no length), so ties need no arrival order either.
    /// </summary>
    private static ParticipantAttendance Attend(string key, IReadOnlyList<MeetingFact> facts, MeetingSummary meeting)
    {
        var intervals = new List<AttendanceInterval>();
        DateTimeOffset? open = null;
        foreach (var instant in facts.GroupBy(f => f.OccurredAt).OrderBy(g => g.Key))
        {
            var at = instant.Key;
            var joins = instant.Any(f => f.Kind == FactKind.Joined);
            var leaves = instant.Any(f => f.Kind == FactKind.Left);
            if (open is { } since)
            {
                if (leaves)
                {
                    intervals.Add(new(since, at));
                    open = joins ? at : null;
                }
            }
            else if (joins)
            {
                open = at;
                if (leaves)
                {
                    intervals.Add(new(at, at));
                    open = null;
                }
            }
            else if (intervals.Count == 0)
            {
                var from = meeting.StartTime is { } start && start < at ? start : at;
                intervals.Add(new(from, at));
            }
        }

        if (open is { } stillOpen)
        {
            intervals.Add(new(stillOpen, meeting.EndTime is { } end ? (end > stillOpen ? end : stillOpen) : null));
        }

        var latestFirst = facts.OrderByDescending(f => f.OccurredAt).ThenBy(f => f.Kind, StringComparer.Ordinal).ToList();
        var totalMs = intervals.Where(i => i.Left is not null).Sum(i => (i.Left!.Value - i.Joined).Ticks / TimeSpan.TicksPerMillisecond);
        return new ParticipantAttendance(
            key,
            latestFirst.Select(f => f.ParticipantName).FirstOrDefault(v => v is not null),
            latestFirst.Select(f => f.UserId).FirstOrDefault(v => v is not null),
            latestFirst.Select(f => f.ParticipantUserId).FirstOrDefault(v => v is not null),
            latestFirst.Select(f => f.Email).FirstOrDefault(v => v is not null),
            intervals,
            totalMs / 1000);
    }

    // Like SQL's MAX over text: any order of the same values gives the same one.
    private static string? Greatest(IEnumerable<string?> values) =>
        values.Where(v => v is not null).Max(StringComparer.Ordinal);
}
