using System.Text.Json;
using CsCheck;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Meetings;

/// <summary>
/// Generated meetings (1-4 participants, guests among them, stays that may start with a lost join
/// or end without a leave, with or without start and end events), delivered in random orders with
/// random duplicates: the projection must equal the in-order one, and the in-order one must be the
/// attendance the meeting really had. Bounded iterations keep it to about a second.
/// </summary>
public sealed class MeetingProjectionPropertyTests
{
    private const string Uuid = "gen+/uuid==";
    private const int Iterations = 300;
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddSeconds(7300);

    private sealed record Person(int Index, bool Guest, bool LostFirstJoin, int[] Times)
    {
        public string Key => Guest ? $"Guest {Index}" : $"puuid-{Index}";
    }

    private sealed record Script(Person[] People, bool HasStart, bool HasEnd);

    private static readonly Gen<Person> PersonGen = Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[1, 7200].Array[1, 6],
        (guest, lost, times) => new Person(0, guest, lost, [.. times.Distinct().Order()]));

    private static readonly Gen<Script> ScriptGen = Gen.Select(PersonGen.Array[1, 4], Gen.Bool, Gen.Bool,
        (people, hasStart, hasEnd) => new Script([.. people.Select((p, i) => p with { Index = i })], hasStart, hasEnd));

    /// <summary>A script with its events, some of them repeated, in a random order.</summary>
    private static readonly Gen<(Script, List<MeetingFact>)> DeliveryGen = ScriptGen.SelectMany(script =>
    {
        var facts = Facts(script);
        return Gen.Int[0, facts.Count - 1].Array[0, facts.Count]
            .SelectMany(repeats => Gen.Shuffle(facts.Concat(repeats.Select(i => facts[i])).ToList()))
            .Select(delivered => (script, delivered));
    });

    /// <summary>Webinars are projected by the same rules: the facts only differ in their kind.</summary>
    [Theory]
    [InlineData(MeetingKind.Meeting)]
    [InlineData(MeetingKind.Webinar)]
    public void Any_order_and_any_duplication_gives_the_in_order_projection(string kind) =>
        DeliveryGen.Sample((script, delivered) =>
        {
            var inOrder = Facts(script).OrderBy(f => f.EventTs).ToList();
            var projected = MeetingProjection.Project(Uuid, delivered.Select(f => f with { Subject = kind }));
            projected.Meeting.Kind.Should().Be(kind);
            Json(projected).Should().Be(Json(MeetingProjection.Project(Uuid, inOrder.Select(f => f with { Subject = kind }))));
        }, iter: Iterations);

    [Theory]
    [InlineData(MeetingKind.Meeting)]
    [InlineData(MeetingKind.Webinar)]
    public void The_in_order_projection_is_the_attendance_the_meeting_had(string kind) =>
        ScriptGen.Sample(script =>
        {
            var detail = MeetingProjection.Project(Uuid, Facts(script).OrderBy(f => f.EventTs).Select(f => f with { Subject = kind }));
            foreach (var person in script.People)
            {
                var expected = ExpectedStays(script, person);
                var actual = detail.Participants.Single(p => p.Key == person.Key);
                actual.Intervals.Should().Equal(expected);
                actual.TotalSeconds.Should().Be((long)expected.Where(s => s.Left is not null).Sum(s => (s.Left!.Value - s.Joined).TotalSeconds));
            }

            detail.Meeting.Status.Should().Be(script.HasEnd ? "ended" : "live");
        }, iter: Iterations);

    /// <summary>What happened: times alternate join, leave (or leave first when the join was lost).</summary>
    private static List<AttendanceInterval> ExpectedStays(Script script, Person person)
    {
        var known = script.HasStart || script.HasEnd;
        var times = person.Times.Select(t => Start.AddSeconds(t)).ToList();
        var stays = new List<AttendanceInterval>();
        var i = 0;
        if (person.LostFirstJoin)
        {
            stays.Add(new(known ? Start : times[0], times[0]));
            i = 1;
        }

        for (; i < times.Count; i += 2)
        {
            stays.Add(new(times[i], i + 1 < times.Count ? times[i + 1] : script.HasEnd ? End : null));
        }

        return stays;
    }

    private static List<MeetingFact> Facts(Script script)
    {
        var facts = new List<MeetingFact>();
        if (script.HasStart)
        {
            facts.Add(new(Uuid, FactKind.Started, "", Start, Start.ToUnixTimeMilliseconds(), 1, "81", "Topic", "host", "acct", Start));
        }

        if (script.HasEnd)
        {
            facts.Add(new(Uuid, FactKind.Ended, "", End, End.ToUnixTimeMilliseconds() + 5, 2, "81", "Topic", "host", "acct", Start));
        }

        foreach (var person in script.People)
        {
            for (var i = 0; i < person.Times.Length; i++)
            {
                var at = Start.AddSeconds(person.Times[i]);
                var joins = (i % 2 == 0) != person.LostFirstJoin;
                facts.Add(new(Uuid, joins ? FactKind.Joined : FactKind.Left, person.Key, at, at.ToUnixTimeMilliseconds() + 3, 10 + i,
                    "81", "Topic", "host", "acct", ParticipantName: person.Guest ? person.Key : $"Person {person.Index}",
                    UserId: person.Guest ? null : $"user-{person.Index}"));
            }
        }

        return facts;
    }

    private static string Json(MeetingDetail detail) => JsonSerializer.Serialize(detail);
}
