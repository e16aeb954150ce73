using System.Buffers;

namespace ZoomWebhooks.Webhooks;

/// <summary>
/// Reads the body as the exact bytes Zoom sent (the signature covers them, so nothing may be
/// decoded or re-serialized first), and stops at the size limit whether or not a
/// Content-Length was declared.
/// </summary>
internal static class RawBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var initialCapacity = request.ContentLength is { } declared ? (int)declared : ChunkSize;
        using var body = new MemoryStream(initialCapacity);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return null;
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }
}
