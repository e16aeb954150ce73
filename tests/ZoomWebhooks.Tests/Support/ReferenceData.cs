using System.Text.Json;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Real signed Zoom deliveries kept outside the repository, in the shared folder beside it
/// (<c>../shared/zoom/reference</c>); <c>ZOOMWEBHOOKS_REFERENCE_DIR</c> points elsewhere. They are
/// read, never copied into the project, and checked in addition to the project's own vectors
/// (<c>Signing/Vectors</c>) where they are found.
/// </summary>
public static class ReferenceData
{
    public const string NotFound =
        "Zoom's reference deliveries were not found in ../shared/zoom/reference beside the repository " +
        "(ZOOMWEBHOOKS_REFERENCE_DIR points elsewhere), so they were not checked; the project's own vectors (SignatureVectorTests) were.";

    /// <summary>
    /// Null when there is no shared/ beside this clone (as in a clone from a forge): the tests
    /// that read it then say so in their output and check nothing more.
    /// </summary>
    public static string? Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ZOOMWEBHOOKS_REFERENCE_DIR");
            if (!string.IsNullOrEmpty(configured))
            {
                // Asked for by name: a wrong path fails the tests rather than passing them unread.
                return configured;
            }

            // The repository root is the folder with ZoomWebhooks.sln; shared/ sits beside it (or higher up).
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "ZoomWebhooks.sln")))
            {
                root = root.Parent;
            }

            for (var dir = root?.Parent; dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "zoom", "reference");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    public static IEnumerable<SignedVector> SignatureVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder ?? throw new DirectoryNotFoundException(NotFound), "_signature-test-vectors.json")));
        foreach (var vector in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            yield return new SignedVector(
                vector.GetProperty("name").GetString()!,
                vector.GetProperty("secretToken").GetString()!,
                long.Parse(vector.GetProperty("x-zm-request-timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                vector.GetProperty("rawBody").GetString()!,
                vector.GetProperty("x-zm-signature").GetString()!,
                vector.TryGetProperty("expectedEncryptedToken", out var token) ? token.GetString() : null);
        }
    }

    public sealed record SignedVector(string Name, string Secret, long Timestamp, string RawBody, string Signature, string? EncryptedToken);
}
