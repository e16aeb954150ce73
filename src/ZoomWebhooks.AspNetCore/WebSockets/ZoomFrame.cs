using System.Text.Json;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// One frame of Zoom's WebSocket protocol: <c>{"module": ..., "success": ..., "content": ...}</c>.
/// <c>build_connection</c> answers the connect (<c>success</c> false: the token was refused),
/// <c>heartbeat</c> answers ours, <c>message</c> carries an event whose <c>content</c> is the event's
/// JSON as a string. <see cref="Content"/> is that string's UTF-8 bytes, unescaped from the frame
/// and never turned into .NET text and back, so the stored body is the event exactly as sent.
/// https://developers.zoom.us/docs/api/websockets/
/// </summary>
internal readonly record struct ZoomFrame(string? Module, bool? Success, byte[]? Content, string? Text)
{
    public const string BuildConnection = "build_connection";
    public const string Heartbeat = "heartbeat";
    public const string Message = "message";

    /// <summary>What the client sends every heartbeat interval.</summary>
    public static ReadOnlyMemory<byte> HeartbeatFrame { get; } = """{"module":"heartbeat"}"""u8.ToArray();

    /// <summary>False for anything that is not a JSON object (the frame is then ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out ZoomFrame parsed)
    {
        parsed = default;
        try
        {
            var reader = new Utf8JsonReader(frame);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? module = null;
            bool? success = null;
            byte[]? content = null;
            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "module" when reader.TokenType == JsonTokenType.String:
                        module = reader.GetString();
                        break;
                    case "success" when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                        success = reader.GetBoolean();
                        break;
                    case "content" when reader.TokenType == JsonTokenType.String:
                        content = Unescaped(ref reader);
                        // Zoom's reason on a refused connect; short, and never a token.
                        text = content.Length <= 200 ? System.Text.Encoding.UTF8.GetString(content) : null;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            parsed = new ZoomFrame(module, success, content, text);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escape that is no UTF-8 (a lone surrogate).
            return false;
        }
    }

    private static byte[] Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.ToArray();
        }

        // An escaped string is never longer unescaped.
        var buffer = new byte[reader.ValueSpan.Length];
        var written = reader.CopyString(buffer);
        return buffer[..written];
    }
}
