using System.Text.Json;

namespace ZoomWebhooks.Tests.Signing;

/// <summary>
/// The project's own signed deliveries: <c>Signing/Vectors/*.body</c> (the exact bytes) and
/// <c>vectors.json</c>, whose signatures <c>make-vectors.sh</c> computed with OpenSSL.
/// </summary>
public static class SignatureVectors
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Signing", "Vectors");

    public static IReadOnlyList<Vector> All { get; } = Load();

    public static Vector Named(string body) => All.Single(v => v.Body == body);

    private static List<Vector> Load()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "vectors.json")));
        return
        [
            .. manifest.RootElement.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
                v.GetProperty("body").GetString()!,
                File.ReadAllBytes(Path.Combine(Folder, v.GetProperty("body").GetString()!)),
                v.GetProperty("secretToken").GetString()!,
                v.GetProperty("timestamp").GetString()!,
                v.GetProperty("signature").GetString()!,
                v.GetProperty("plainToken").GetString(),
                v.GetProperty("encryptedToken").GetString())),
        ];
    }

    public sealed record Vector(string Body, byte[] Bytes, string Secret, string Timestamp, string Signature, string? PlainToken, string? EncryptedToken)
    {
        public DateTimeOffset SignedAt => DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp, System.Globalization.CultureInfo.InvariantCulture));

        public override string ToString() => Body;
    }
}
