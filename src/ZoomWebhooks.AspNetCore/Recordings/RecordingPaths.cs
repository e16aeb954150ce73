using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ZoomWebhooks.Recordings;

/// <summary>
/// Where a file goes: <c>{account id}/{meeting uuid}/{file id}.{extension}</c> under
/// <c>Recordings:Path</c>, every part made from the payload only through <see cref="SafeName"/>,
/// so no id, uuid or extension can climb out of the folder, name a device or hide a file.
/// </summary>
internal static class RecordingPaths
{
    private const int MaxName = 120;

    /// <summary>The suffix of the file a download is streamed to, next to its final name.</summary>
    public const string PartSuffix = ".part";

    public static string Relative(string accountId, string meetingUuid, string fileId, string? extension) =>
        $"{SafeName(accountId)}/{SafeName(meetingUuid)}/{SafeName(fileId)}.{SafeExtension(extension)}";

    /// <summary>
    /// Letters, digits and '-' stay; every other character is written as '_' and the hex of its
    /// UTF-8 bytes, like URL encoding with '_' for '%' (a UUID <c>k3Jd+9Q/a==</c> becomes
    /// <c>k3Jd_2B9Q_2Fa_3D_3D</c>). So distinct values never share a name, and no name holds '.',
    /// '/', '\' or a control character. A name longer than 120 characters is cut and given a hash
    /// of the whole value; an empty one is <c>_</c>.
    /// </summary>
    public static string SafeName(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == '-'))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('_').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        if (builder.Length == 0)
        {
            return "_";
        }

        if (builder.Length <= MaxName)
        {
            return builder.ToString();
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];
        return string.Concat(builder.ToString(0, MaxName - 17), "~", hash);
    }

    /// <summary>Zoom's <c>file_extension</c> in lower case when it is 1 to 10 letters and digits, else <c>bin</c>.</summary>
    public static string SafeExtension(string? extension) =>
        extension is { Length: >= 1 and <= 10 } && extension.All(char.IsAsciiLetterOrDigit)
            ? extension.ToLowerInvariant()
            : "bin";

    /// <summary>
    /// Deletes a stored file and its partial download, then its meeting's and account's folders
    /// when they are left empty; true when a file was there. Where a file is still open (Windows),
    /// the <see cref="IOException"/> says so and nothing is claimed done.
    /// </summary>
    public static bool Remove(string root, string relative)
    {
        var full = Full(root, relative);
        var found = false;
        foreach (var file in new[] { full, full + PartSuffix })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                found = true;
            }
        }

        var top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        for (var folder = Path.GetDirectoryName(full); folder is not null && folder.Length > top.Length; folder = Path.GetDirectoryName(folder))
        {
            try
            {
                if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    break;
                }

                Directory.Delete(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A download of another file of the folder created something meanwhile, or the
                // folder is in use (Windows): the files are gone, which is what counts.
                break;
            }
        }

        return found;
    }

    /// <summary>The full path of a stored relative path, refused unless it lies inside <paramref name="root"/>.</summary>
    /// <exception cref="InvalidOperationException">The path would leave the folder (a stored row was tampered with).</exception>
    public static string Full(string root, string relative)
    {
        var top = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(top, relative));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(top) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A recording's stored path leads outside Recordings:Path; it is not written.");
        }

        return full;
    }
}
