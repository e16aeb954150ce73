using ZoomWebhooks.Recordings;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>File names made from payload values: safe, distinct for distinct values, readable for ordinary ones.</summary>
public sealed class RecordingPathsTests
{
    [Theory]
    [InlineData("7c1e9b52-4d0a-4f6e-a3b8-2e5d9c71f084", "7c1e9b52-4d0a-4f6e-a3b8-2e5d9c71f084")]
    [InlineData("k3Jd+9QvT/aZ1xW8mN0p2g==", "k3Jd_2B9QvT_2FaZ1xW8mN0p2g_3D_3D")]
    [InlineData("..", "_2E_2E")]
    [InlineData("", "_")]
    [InlineData("a_b", "a_5Fb")]
    [InlineData("é", "_C3_A9")]
    public void A_value_becomes_a_name_of_letters_digits_dash_and_escapes(string value, string expected) =>
        RecordingPaths.SafeName(value).Should().Be(expected);

    [Fact]
    public void Distinct_values_get_distinct_names_and_none_holds_a_separator_a_dot_or_a_control_character()
    {
        string[] values = ["a/b", "a_2Fb", "a\\b", "a_b", "a.b", "a\u0000b", "a\nb", "A/B", "a+b", "a-b", new string('x', 500), new string('x', 501)];

        var names = values.Select(RecordingPaths.SafeName).ToList();

        names.Should().OnlyHaveUniqueItems();
        names.Should().OnlyContain(n => n.Length <= 120 && n.All(c => char.IsAsciiLetterOrDigit(c) || "-_~".Contains(c)));
    }

    [Theory]
    [InlineData("MP4", "mp4")]
    [InlineData("../../sh", "bin")]
    [InlineData(".", "bin")]
    [InlineData(null, "bin")]
    [InlineData("averyverylongext", "bin")]
    public void An_extension_is_kept_in_lower_case_only_when_it_is_plain(string? extension, string expected) =>
        RecordingPaths.SafeExtension(extension).Should().Be(expected);

    [Fact]
    public void A_stored_path_that_leaves_the_folder_is_refused()
    {
        var root = Path.Combine(Path.GetTempPath(), "rec-root");

        var escape = () => RecordingPaths.Full(root, "../outside/x.mp4");
        var sibling = () => RecordingPaths.Full(root, "../rec-root-2/x.mp4");

        escape.Should().Throw<InvalidOperationException>().WithMessage("*outside Recordings:Path*");
        sibling.Should().Throw<InvalidOperationException>();
        RecordingPaths.Full(root, "a/b/c.mp4").Should().Be(Path.Combine(Path.GetFullPath(root), "a", "b", "c.mp4"));
    }

    [Theory]
    [InlineData("https://zoom.us/rec/download/x", true)]
    [InlineData("https://us02web.zoom.us/rec/download/x", true)]
    [InlineData("https://ssrweb.zoom.us:443/x", true)]
    [InlineData("http://zoom.us/rec/download/x", false)]
    [InlineData("https://zoom.us.evil.example/x", false)]
    [InlineData("https://evilzoom.us/x", false)]
    [InlineData("https://user@zoom.us/x", false)]
    [InlineData("ftp://zoom.us/x", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Only_zoom_hosts_over_https_are_allowed_by_default(string url, bool allowed) =>
        AllowedHosts.Allows(RecordingsOptions.DefaultAllowedHosts, new Uri(url)).Should().Be(allowed);

    [Theory]
    [InlineData("zoom.us", true)]
    [InlineData("*.zoom.us", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("https://zoom.us", false)]
    [InlineData("zoom.us:443", false)]
    [InlineData("*", false)]
    [InlineData("*.*.us", false)]
    [InlineData("zoom.us/rec", false)]
    public void An_allow_list_entry_is_a_host_name_or_a_wildcard_of_its_subdomains(string pattern, bool valid) =>
        AllowedHosts.IsValidPattern(pattern).Should().Be(valid);
}
