using System.Security.Cryptography;

namespace ZoomWebhooks.Recordings;

/// <summary>What came of one download attempt.</summary>
internal sealed record DownloadOutcome(DownloadResult Result, long Bytes = 0, string? Error = null)
{
    public static DownloadOutcome Retry(string error) => new(DownloadResult.Retry, Error: error);

    public static DownloadOutcome Fail(string error) => new(DownloadResult.Failed, Error: error);
}

internal enum DownloadResult
{
    /// <summary>The whole file is in the temporary file, checked.</summary>
    Complete,

    /// <summary>Worth another attempt later (5xx after the quick retries, a broken transfer, a short file).</summary>
    Retry,

    /// <summary>Another attempt would fail alike (a refused token, a host not allowed, a 404).</summary>
    Failed,
}

/// <summary>What a finished transfer must pass before it is renamed into place: Zoom's <c>file_size</c>, and the server's checksum when it sends one.</summary>
internal static class DownloadCheck
{
    public static async Task<DownloadOutcome> CheckAsync(RecordingFile file, string temp, byte[]? digest, CancellationToken cancellationToken)
    {
        var length = new FileInfo(temp).Length;
        if (file.FileSize is { } size && length != size)
        {
            File.Delete(temp);
            return DownloadOutcome.Retry($"Received {length} bytes; file_size says {size}.");
        }

        if (digest is { } expected)
        {
            await using var stream = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, RecordingDownloader.BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var actual = await SHA256.HashDataAsync(stream, cancellationToken);
            if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                File.Delete(temp);
                return DownloadOutcome.Retry("The file's SHA-256 differs from the checksum the server sent (Repr-Digest / Digest).");
            }
        }

        return new DownloadOutcome(DownloadResult.Complete, length);
    }

    /// <summary>
    /// The whole file's SHA-256, when the server sends one: <c>Repr-Digest: sha-256=:b64:</c>
    /// (RFC 9530) or the older <c>Digest: SHA-256=b64</c> (RFC 3230). Zoom's payload carries no
    /// checksum, so this is the only one there can be.
    /// </summary>
    public static byte[]? Sha256Digest(HttpResponseMessage response)
    {
        foreach (var name in (string[])["Repr-Digest", "Digest"])
        {
            if (!response.Headers.TryGetValues(name, out var values) && !response.Content.Headers.TryGetValues(name, out values))
            {
                continue;
            }

            foreach (var item in values.SelectMany(v => v.Split(',')))
            {
                var pair = item.Trim().Split('=', 2);
                if (pair.Length == 2 && pair[0].Equals("sha-256", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        return Convert.FromBase64String(pair[1].Trim().Trim(':'));
                    }
                    catch (FormatException)
                    {
                        return null;
                    }
                }
            }
        }

        return null;
    }
}
