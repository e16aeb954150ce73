using System.Text;
using ZoomWebhooks.Meetings;

namespace ZoomWebhooks.Tests.Meetings;

public sealed class AttendanceCsvTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Names_are_quoted_per_rfc_4180_and_formulas_are_defused_and_an_open_stay_has_no_end()
    {
        var meeting = new MeetingSummary("u+/1==", "81", "Plan, \"Q4\"", "host", "acct", Start, null, MeetingSummary.Live);
        var detail = new MeetingDetail(meeting,
        [
            new ParticipantAttendance("g1", "=HYPERLINK(\"http://x\")", null, null, null, [new(Start.AddMinutes(1), Start.AddMinutes(2))], 60),
            new ParticipantAttendance("p2", "Ada\nL", "u2", "pu2", "ada@example.test", [new(Start.AddMinutes(3), null)], 0),
        ]);

        var bytes = AttendanceCsv.Write(detail);

        bytes.Take(3).Should().Equal(Encoding.UTF8.GetPreamble());
        var text = Encoding.UTF8.GetString(bytes.AsSpan(3));
        text.Should().Be(
            "meeting_uuid,meeting_id,topic,participant_key,name,user_id,participant_user_id,email,joined,left,seconds,total_seconds,kind\r\n" +
            "u+/1==,81,\"Plan, \"\"Q4\"\"\",g1,\"'=HYPERLINK(\"\"http://x\"\")\",,,,2026-11-30T09:01:00Z,2026-11-30T09:02:00Z,60,60,meeting\r\n" +
            "u+/1==,81,\"Plan, \"\"Q4\"\"\",p2,\"Ada\nL\",u2,pu2,ada@example.test,2026-11-30T09:03:00Z,,,0,meeting\r\n");
        AttendanceCsv.FileName(meeting).Should().Be("attendance-81-20261130-0900.csv");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\t=1")]
    [InlineData("\r=1")]
    [InlineData("\n=1")]
    [InlineData("\uFF1D1+1")]
    public void Every_cell_that_could_start_a_formula_is_defused_whatever_its_column(string hostile)
    {
        // A guest without ids is keyed by the display name, and uuids, ids and emails come from the
        // payload: any of them can be typed or crafted, so no column is trusted to be plain.
        var meeting = new MeetingSummary(hostile, hostile, hostile, "host", "acct", Start, null, MeetingSummary.Live);
        var detail = new MeetingDetail(meeting,
        [
            new ParticipantAttendance(hostile, hostile, hostile, hostile, hostile, [new(Start, Start.AddMinutes(1))], 60),
        ]);

        var row = Encoding.UTF8.GetString(AttendanceCsv.Write(detail).AsSpan(3)).Split("\r\n")[1..^1];

        var cells = string.Join("\r\n", row).Split(',')[..8];
        cells.Should().HaveCount(8).And.OnlyContain(cell => cell.TrimStart('"').StartsWith('\''),
            "each text cell of the export starts with a quote mark, so a spreadsheet shows it as text");
    }
}
