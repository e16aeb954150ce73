using System.Text.Json;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// Real signed Zoom deliveries kept outside the repository, in the shared folder beside it
/// (<c>../shared/zoom/reference</c>); <c>ZOOMWEBHOOKS_REFERENCE_DIR</c> points elsewhere. They are
/// read, never copied into the project.
/// </summary>
public static class ReferenceData
{
    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("ZOOMWEBHOOKS_REFERENCE_DIR");
            if (!string.IsNullOrEmpty(configured))
            {
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

            throw new DirectoryNotFoundException(
                "Zoom's reference deliveries were not found in ../shared/zoom/reference beside the repository; set ZOOMWEBHOOKS_REFERENCE_DIR.");
        }
    }

    public static IEnumerable<SignedVector> SignatureVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "_signature-test-vectors.json")));
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
