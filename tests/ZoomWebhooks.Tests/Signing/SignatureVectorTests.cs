using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Signing;

/// <summary>
/// ZoomSignature against signatures computed by another implementation (OpenSSL, see
/// Vectors/make-vectors.sh), over bodies written to break verifiers that hash anything but the raw bytes.
/// </summary>
public sealed class SignatureVectorTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Bodies => [.. SignatureVectors.All.Select(v => v.Body)];

    [Fact]
    public void The_vectors_carry_what_breaks_naive_verifiers()
    {
        var all = SignatureVectors.All;
        all.Should().Contain(v => v.Bytes.Any(b => b >= 0x80) && Text(v).Contains(@"\uD83D", StringComparison.Ordinal),
            "raw UTF-8 beside \\uD83D escapes");
        all.Select(Uuid).Should().Contain(uuid => uuid != null && uuid.Contains('+') && uuid.Contains('/') && uuid.EndsWith("==", StringComparison.Ordinal),
            "+ / = in a meeting uuid");
        all.Should().Contain(v => Text(v).Contains("\r\n\t", StringComparison.Ordinal) && Text(v).EndsWith('\n'), "whitespace a parser ignores");
        all.Should().Contain(v => Text(v).StartsWith("""{"payload""", StringComparison.Ordinal), "payload before event");
        all.Should().Contain(v => v.EncryptedToken != null && Text(v).Contains("endpoint.url_validation", StringComparison.Ordinal), "a URL-validation challenge");
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void The_OpenSSL_signature_verifies_and_ZoomSignature_computes_the_same(string body)
    {
        var vector = SignatureVectors.Named(body);

        Verify(vector, vector.Bytes).Should().Be(SignatureCheck.Valid);
        ZoomSignature.Sign(vector.Secret, long.Parse(vector.Timestamp, System.Globalization.CultureInfo.InvariantCulture), vector.Bytes)
            .Should().Be(vector.Signature);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_reserialized_body_does_not_verify(string body)
    {
        var vector = SignatureVectors.Named(body);
        using var parsed = JsonDocument.Parse(vector.Bytes);

        // What a verifier that parses first hashes: System.Text.Json's own writing, or the keys in its own order.
        foreach (var reserialized in new[] { JsonSerializer.SerializeToUtf8Bytes(parsed.RootElement), SortedKeys(parsed.RootElement) })
        {
            reserialized.Should().NotEqual(vector.Bytes);
            Verify(vector, reserialized).Should().Be(SignatureCheck.Mismatch);
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Any_changed_byte_or_another_timestamp_fails(string body)
    {
        var vector = SignatureVectors.Named(body);
        for (var index = 0; index < vector.Bytes.Length; index++)
        {
            var tampered = (byte[])vector.Bytes.Clone();
            tampered[index] ^= 0x01;
            Verify(vector, tampered).Should().Be(SignatureCheck.Mismatch, $"byte {index} changed");
        }

        Verify(vector, vector.Bytes[..^1]).Should().Be(SignatureCheck.Mismatch, "the last byte dropped");
        var later = (long.Parse(vector.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        ZoomSignature.Verify(vector.Signature, later, vector.Bytes, [vector.Secret], vector.SignedAt, Tolerance, out _)
            .Should().Be(SignatureCheck.Mismatch);
    }

    [Fact]
    public void The_url_validation_answer_is_the_one_OpenSSL_computed()
    {
        var vector = SignatureVectors.All.Single(v => v.EncryptedToken is not null);
        using var parsed = JsonDocument.Parse(vector.Bytes);
        var plainToken = parsed.RootElement.GetProperty("payload").GetProperty("plainToken").GetString()!;

        plainToken.Should().Be(vector.PlainToken);
        ZoomSignature.EncryptToken(vector.Secret, plainToken).Should().Be(vector.EncryptedToken);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task The_endpoint_accepts_the_vector_exactly_as_signed(string body)
    {
        var vector = SignatureVectors.Named(body);
        using var factory = new ServiceFactory(
            new Dictionary<string, string?> { ["Zoom:Environments:Development:SecretToken"] = vector.Secret },
            new FakeTimeProvider(vector.SignedAt));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zoom") { Content = ServiceFactory.Json(vector.Bytes) };
        request.Headers.Add(ZoomSignature.TimestampHeader, vector.Timestamp);
        request.Headers.Add(ZoomSignature.SignatureHeader, vector.Signature);

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = await response.Content.ReadAsStringAsync();
        if (vector.EncryptedToken is null)
        {
            answer.Should().Be("""{"status":"accepted"}""");
            (await InboxRows.ReadAsync(factory.DatabasePath)).Should().ContainSingle();
        }
        else
        {
            using var json = JsonDocument.Parse(answer);
            json.RootElement.GetProperty("plainToken").GetString().Should().Be(vector.PlainToken);
            json.RootElement.GetProperty("encryptedToken").GetString().Should().Be(vector.EncryptedToken);
        }
    }

    private static SignatureCheck Verify(SignatureVectors.Vector vector, byte[] body) =>
        ZoomSignature.Verify(vector.Signature, vector.Timestamp, body, [vector.Secret], vector.SignedAt, Tolerance, out _);

    private static string Text(SignatureVectors.Vector vector) => Encoding.UTF8.GetString(vector.Bytes);

    private static string? Uuid(SignatureVectors.Vector vector)
    {
        using var parsed = JsonDocument.Parse(vector.Bytes);
        return parsed.RootElement.TryGetProperty("payload", out var payload)
               && payload.TryGetProperty("object", out var meeting)
               && meeting.TryGetProperty("uuid", out var uuid)
            ? uuid.GetString()
            : null;
    }

    /// <summary>The same JSON with every object's keys in ordinal order, as a dictionary-based serializer writes it.</summary>
    private static byte[] SortedKeys(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root);
        }

        return buffer.ToArray();

        static void Write(Utf8JsonWriter writer, JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in element.EnumerateArray())
                    {
                        Write(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    element.WriteTo(writer);
                    break;
            }
        }
    }
}
