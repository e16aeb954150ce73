using System.Globalization;
using System.Text;

namespace ZoomWebhooks.Meetings;

/// <summary>
/// Attendance as RFC 4180 CSV, one row per stay, each with the participant's total, so a
/// spreadsheet can filter or pivot it. UTF-8 with a byte order mark: without one Excel reads
/// "Søren" as mojibake.
/// </summary>
internal static class AttendanceCsv
{
    private const string Header =
        "meeting_uuid,meeting_id,topic,participant_key,name,user_id,participant_user_id,email,joined,left,seconds,total_seconds,kind";

    public static byte[] Write(MeetingDetail detail)
    {
        var meeting = detail.Meeting;
        var text = new StringBuilder(Header).Append("\r\n");
        foreach (var p in detail.Participants)
        {
            foreach (var stay in p.Intervals)
            {
                var seconds = stay.Left is { } left ? ((long)(left - stay.Joined).TotalMilliseconds / 1000).ToString(CultureInfo.InvariantCulture) : "";
                string?[] cells =
                [
                    meeting.Uuid, meeting.MeetingId, meeting.Topic, p.Key, p.Name, p.UserId, p.ParticipantUserId, p.Email,
                    Time(stay.Joined), stay.Left is { } l ? Time(l) : "", seconds, p.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                    meeting.Kind,
                ];
                text.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static string FileName(MeetingSummary meeting) =>
        $"attendance-{meeting.MeetingId ?? meeting.Kind}-{meeting.StartTime?.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture) ?? "unknown"}.csv";

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Every cell, not only the typed ones: a guest without ids is keyed by the display name, and
    // uuids, ids and emails come from the payload, so any cell can hold what the sender chose. A
    // cell starting with = + - @ (or their full-width forms), a tab or a line break would run as a
    // formula when the file is opened (CSV injection), so a quote mark makes it plain text.
    // https://owasp.org/www-community/attacks/CSV_Injection
    private static string Cell(string? value) => Quote(Defuse(value));

    private static string? Defuse(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20'
            ? "'" + value
            : value;

    private static string Quote(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
