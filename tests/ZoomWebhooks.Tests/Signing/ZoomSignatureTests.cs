using System.Text;
using System.Text.Json;
using Xunit.Abstractions;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Signing;

/// <summary>
/// The rules of <see cref="ZoomSignature"/>; the three tests on Zoom's real deliveries run only where
/// shared/zoom/reference is found, and say so in the test output when it is not.
/// </summary>
public sealed class ZoomSignatureTests(ITestOutputHelper output)
{
    private const string Secret = "unit-test-secret-token-0001";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void Real_Zoom_deliveries_verify_at_their_own_time()
    {
        if (!ReferenceFound())
        {
            return;
        }

        var vectors = ReferenceData.SignatureVectors().ToList();
        vectors.Should().HaveCount(2);
        foreach (var vector in vectors)
        {
            var body = Encoding.UTF8.GetBytes(vector.RawBody);
            var at = DateTimeOffset.FromUnixTimeSeconds(vector.Timestamp);

            Verify(vector.Signature, vector.Timestamp.ToString(), body, [vector.Secret], at)
                .Should().Be(SignatureCheck.Valid, vector.Name);
            ZoomSignature.Sign(vector.Secret, vector.Timestamp, body).Should().Be(vector.Signature, vector.Name);
        }
    }

    [Fact]
    public void A_one_byte_change_to_a_real_delivery_fails()
    {
        if (!ReferenceFound())
        {
            return;
        }

        foreach (var vector in ReferenceData.SignatureVectors())
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(vector.Timestamp);
            var original = Encoding.UTF8.GetBytes(vector.RawBody);
            for (var index = 0; index < original.Length; index += 7)
            {
                var tampered = (byte[])original.Clone();
                tampered[index] ^= 0x01;
                Verify(vector.Signature, vector.Timestamp.ToString(), tampered, [vector.Secret], at)
                    .Should().Be(SignatureCheck.Mismatch, $"{vector.Name}, byte {index} changed");
            }

            var lastByteChanged = (byte[])original.Clone();
            lastByteChanged[^1] ^= 0x01;
            Verify(vector.Signature, vector.Timestamp.ToString(), lastByteChanged, [vector.Secret], at).Should().Be(SignatureCheck.Mismatch);
            Verify(vector.Signature, (vector.Timestamp + 1).ToString(), original, [vector.Secret], at).Should().Be(SignatureCheck.Mismatch);
        }
    }

    [Fact]
    public void The_real_url_validation_answer_matches_Zoom()
    {
        if (!ReferenceFound())
        {
            return;
        }

        var vector = ReferenceData.SignatureVectors().Single(v => v.EncryptedToken is not null);
        var plainToken = JsonDocument.Parse(vector.RawBody).RootElement.GetProperty("payload").GetProperty("plainToken").GetString()!;

        ZoomSignature.EncryptToken(vector.Secret, plainToken).Should().Be(vector.EncryptedToken);
    }

    [Fact]
    public void A_reserialized_body_no_longer_verifies()
    {
        // Raw UTF-8 emoji, \uD83D escapes and a '+' in the UUID: System.Text.Json writes all three differently.
        var raw = """{"event":"meeting.started","payload":{"object":{"uuid":"aB+cD/eF==","topic":"Café 🚀 \uD83D\uDE92"}},"event_ts":1}""";
        var body = Encoding.UTF8.GetBytes(raw);
        var signature = ZoomSignature.Sign(Secret, Now.ToUnixTimeSeconds(), body);
        var reserialized = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(raw).RootElement);

        reserialized.Should().NotEqual(body);
        Verify(signature, Now.ToUnixTimeSeconds().ToString(), body, [Secret], Now).Should().Be(SignatureCheck.Valid);
        Verify(signature, Now.ToUnixTimeSeconds().ToString(), reserialized, [Secret], Now).Should().Be(SignatureCheck.Mismatch);
    }

    [Theory]
    [InlineData(null, "1780000000")]
    [InlineData("v0=abc", null)]
    [InlineData("", "1780000000")]
    [InlineData("v0=abc", "")]
    public void Missing_headers_are_reported_as_such(string? signature, string? timestamp) =>
        Verify(signature, timestamp, "{}"u8.ToArray(), [Secret], Now).Should().Be(SignatureCheck.MissingHeaders);

    [Theory]
    [InlineData("abc")]
    [InlineData("1780000000.5")]
    [InlineData("-1780000000")]
    [InlineData("+1780000000")]
    [InlineData(" 1780000000")]
    [InlineData("1e9")]
    [InlineData("99999999999999999999")]
    public void A_timestamp_that_is_not_whole_seconds_is_malformed(string timestamp) =>
        Verify("v0=" + new string('0', 64), timestamp, "{}"u8.ToArray(), [Secret], Now).Should().Be(SignatureCheck.MalformedTimestamp);

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void A_timestamp_outside_the_tolerance_is_stale_in_both_directions(int offsetSeconds)
    {
        var ts = Now.ToUnixTimeSeconds() + offsetSeconds;
        var body = "{}"u8.ToArray();
        Verify(ZoomSignature.Sign(Secret, ts, body), ts.ToString(), body, [Secret], Now).Should().Be(SignatureCheck.StaleTimestamp);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    [InlineData(0)]
    public void A_timestamp_at_the_edge_of_the_tolerance_is_accepted(int offsetSeconds)
    {
        var ts = Now.ToUnixTimeSeconds() + offsetSeconds;
        var body = "{}"u8.ToArray();
        Verify(ZoomSignature.Sign(Secret, ts, body), ts.ToString(), body, [Secret], Now).Should().Be(SignatureCheck.Valid);
    }

    [Fact]
    public void Milliseconds_in_the_timestamp_header_are_refused()
    {
        var ms = Now.ToUnixTimeMilliseconds();
        var body = "{}"u8.ToArray();
        // 13 digits of milliseconds lie past year 9999 when read as seconds.
        Verify(ZoomSignature.Sign(Secret, ms, body), ms.ToString(), body, [Secret], Now).Should().Be(SignatureCheck.MalformedTimestamp);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v0=000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v0=00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("v0=zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_signature_that_is_not_v0_and_64_hex_digits_is_malformed(string signature) =>
        Verify(signature, Now.ToUnixTimeSeconds().ToString(), "{}"u8.ToArray(), [Secret], Now).Should().Be(SignatureCheck.MalformedSignature);

    [Fact]
    public void Previous_tokens_verify_during_a_rotation_and_the_matching_token_is_reported()
    {
        var body = """{"event":"meeting.ended"}"""u8.ToArray();
        var ts = Now.ToUnixTimeSeconds();
        var signature = ZoomSignature.Sign("old-token-still-valid-000", ts, body);

        var check = ZoomSignature.Verify(signature, ts.ToString(), body, [Secret, "old-token-still-valid-000"], Now, Tolerance, out var matched);

        check.Should().Be(SignatureCheck.Valid);
        matched.Should().Be("old-token-still-valid-000");
        Verify(signature, ts.ToString(), body, [Secret], Now).Should().Be(SignatureCheck.Mismatch);
    }

    [Fact]
    public void An_uppercase_hex_signature_of_the_right_bytes_verifies()
    {
        var body = "{}"u8.ToArray();
        var ts = Now.ToUnixTimeSeconds();
        var signature = "v0=" + ZoomSignature.Sign(Secret, ts, body)[3..].ToUpperInvariant();
        Verify(signature, ts.ToString(), body, [Secret], Now).Should().Be(SignatureCheck.Valid);
    }

    private bool ReferenceFound()
    {
        if (ReferenceData.Folder is null)
        {
            output.WriteLine(ReferenceData.NotFound);
            return false;
        }

        output.WriteLine($"Zoom's reference deliveries: {ReferenceData.Folder}");
        return true;
    }

    private static SignatureCheck Verify(string? signature, string? timestamp, byte[] body, string[] tokens, DateTimeOffset now) =>
        ZoomSignature.Verify(signature, timestamp, body, tokens, now, Tolerance, out _);
}
