using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Recordings;

namespace ZoomWebhooks.Tests.Recordings;

/// <summary>The <c>Recordings</c> section is checked at start, and a refusal names the key to fix.</summary>
public sealed class RecordingsOptionsTests
{
    [Theory]
    [InlineData("Recordings:Concurrency", "0", "Recordings:Concurrency must be at least 1")]
    [InlineData("Recordings:AllowedHosts:0", "https://zoom.us", "Recordings:AllowedHosts holds an entry that is not a host name")]
    [InlineData("Recordings:MaxAttempts", "0", "Recordings:MaxAttempts must be at least 1")]
    [InlineData("Recordings:LeaseDuration", "00:00:00.100", "Recordings:LeaseDuration must be at least 00:00:01")]
    [InlineData("Recordings:Path", "/proc/no-such-folder/rec", "Recordings:Path is not a folder the service can create and write to")]
    public void A_bad_setting_is_refused_naming_its_key(string key, string value, string expected)
    {
        using var services = Services(new() { ["Recordings:Path"] = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", "rec-options"), [key] = value });

        var read = () => services.GetRequiredService<IOptions<RecordingsOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void The_defaults_are_two_at_a_time_from_zooms_hosts_and_the_feature_off()
    {
        using var services = Services([]);

        var options = services.GetRequiredService<IOptions<RecordingsOptions>>().Value;

        options.Enabled.Should().BeFalse();
        options.Concurrency.Should().Be(2);
        options.EffectiveAllowedHosts.Should().Equal("zoom.us", "*.zoom.us");
    }

    [Fact]
    public void An_allow_list_given_as_one_value_is_read_as_the_list_and_replaces_the_default()
    {
        using var services = Services(new() { ["Recordings:AllowedHosts"] = "127.0.0.1, files.example.com" });

        services.GetRequiredService<IOptions<RecordingsOptions>>().Value.EffectiveAllowedHosts.Should().Equal("127.0.0.1", "files.example.com");
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        RecordingsEndpoints.AddRecordings(services);
        return services.BuildServiceProvider();
    }
}
