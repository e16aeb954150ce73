using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace ZoomWebhooks.Logging;

/// <summary>
/// A text formatter for a terminal, around another one. Control characters in the message and in
/// every property value are written as escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\x1b</c>, ...),
/// so text a sender chose (a request path, a participant name, a topic) cannot start a line that
/// looks like the service's own, nor reach the terminal as a command (<c>ESC [2J</c> clears it).
/// The formatter's own line breaks stay: one after each event, and the lines of an exception's
/// stack trace, whose text keeps its line breaks and loses every other control character.
/// Production's compact JSON escapes them already.
/// </summary>
internal sealed class ControlCharacterEscaping(ITextFormatter inner) : ITextFormatter
{
    private static readonly MessageTemplateParser Parser = new();

    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var rendered = new StringWriter(CultureInfo.InvariantCulture);
        inner.Format(Escaped(logEvent), rendered);
        output.Write(Escape(rendered.ToString(), keepLineBreaks: true));
    }

    private static LogEvent Escaped(LogEvent e)
    {
        // The template is code's text, except where a caller built it from input (string concatenation).
        var template = NeedsEscape(e.MessageTemplate.Text, keepLineBreaks: false)
            ? Parser.Parse(Escape(e.MessageTemplate.Text, keepLineBreaks: false))
            : e.MessageTemplate;
        var properties = e.Properties.Select(p => new LogEventProperty(p.Key, Escaped(p.Value)));
        return new LogEvent(e.Timestamp, e.Level, e.Exception, template, properties, e.TraceId ?? default, e.SpanId ?? default);
    }

    private static LogEventPropertyValue Escaped(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => NeedsEscape(text, keepLineBreaks: false) ? new ScalarValue(Escape(text, keepLineBreaks: false)) : value,
        ScalarValue { Value: char c } => NeedsEscape(c.ToString(), keepLineBreaks: false) ? new ScalarValue(Escape(c.ToString(), keepLineBreaks: false)) : value,
        // Numbers, times and the like render without control characters; anything else by its ToString.
        ScalarValue { Value: not null and not IFormattable and not bool } scalar when scalar.Value.ToString() is { } text && NeedsEscape(text, keepLineBreaks: false) =>
            new ScalarValue(Escape(text, keepLineBreaks: false)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Escaped)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escaped(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(pair =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>((ScalarValue)Escaped(pair.Key), Escaped(pair.Value)))),
        _ => value,
    };

    private static bool NeedsEscape(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsEscaped(text, i, keepLineBreaks))
            {
                return true;
            }
        }

        return false;
    }

    private static string Escape(string text, bool keepLineBreaks)
    {
        if (!NeedsEscape(text, keepLineBreaks))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsEscaped(text, i, keepLineBreaks))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                <= '\u00ff' => $@"\x{(int)c:x2}",
                _ => $@"\u{(int)c:x4}",
            });
        }

        return escaped.ToString();
    }

    // C0 and C1 controls and DEL (C1's 0x9b is a one-byte ESC [ to some terminals), and the Unicode
    // line and paragraph separators. With keepLineBreaks, \n and the \r of \r\n are the formatter's.
    private static bool IsEscaped(string text, int i, bool keepLineBreaks)
    {
        var c = text[i];
        if (keepLineBreaks && (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')))
        {
            return false;
        }

        return char.IsControl(c) || c is '\u2028' or '\u2029';
    }
}
