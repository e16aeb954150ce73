using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Inbox;

public sealed class InboxSetupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=data/inbox.db")]
    public void Switching_to_Postgres_without_a_PostgreSQL_connection_string_is_refused(string? connectionString)
    {
        using var services = Services(new() { ["Inbox:Provider"] = "Postgres", ["ConnectionStrings:Inbox"] = connectionString });

        var read = () => services.GetRequiredService<IOptions<InboxOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*ConnectionStrings:Inbox must be a PostgreSQL connection string*");
    }

    [Fact]
    public void Postgres_with_a_PostgreSQL_connection_string_is_accepted()
    {
        using var services = Services(new()
        {
            ["Inbox:Provider"] = "Postgres",
            ["ConnectionStrings:Inbox"] = "Host=db;Database=zoomwebhooks;Username=zoomwebhooks;Password=secret",
        });

        services.GetRequiredService<IOptions<InboxOptions>>().Value.Provider.Should().Be(InboxProvider.Postgres);
    }

    [Fact]
    public void Importing_a_SQLite_inbox_is_refused_unless_the_provider_is_Postgres()
    {
        using var services = Services(new() { ["Inbox:ImportFrom"] = "Data Source=old/inbox.db" });

        var read = () => services.GetRequiredService<IOptions<InboxOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*Inbox:ImportFrom*needs Inbox:Provider=Postgres*");
    }

    [Fact]
    public void A_lease_shorter_than_a_second_is_refused_naming_the_key()
    {
        using var services = Services(new() { ["Inbox:LeaseDuration"] = "00:00:00.500" });

        var read = () => services.GetRequiredService<IOptions<InboxOptions>>().Value;

        read.Should().Throw<OptionsValidationException>().WithMessage("*Inbox:LeaseDuration must be at least 00:00:01*renews*");
    }

    /// <summary>The dispatcher renews its leases, so a dispatch may now take longer than one (issue 13).</summary>
    [Fact]
    public void A_publish_that_may_outlast_the_lease_is_accepted_and_the_default_lease_is_30_seconds()
    {
        using var services = Services(new() { ["Inbox:Publish:AttemptTimeout"] = "00:01:00" });

        var options = services.GetRequiredService<IOptions<InboxOptions>>().Value;

        options.LeaseDuration.Should().Be(TimeSpan.FromSeconds(30));
        InboxSetup.MaxPublishTime(options.Publish).Should().BeGreaterThan(options.LeaseDuration);
    }

    [Fact]
    public void Ordering_is_by_participant_unless_set_and_a_value_that_is_neither_is_refused_naming_the_key()
    {
        using (var defaults = Services(new()))
        {
            defaults.GetRequiredService<IOptions<InboxOptions>>().Value.Ordering.Should().Be(InboxOrdering.Participant);
        }

        using (var meeting = Services(new() { ["Inbox:Ordering"] = "Meeting" }))
        {
            meeting.GetRequiredService<IOptions<InboxOptions>>().Value.Ordering.Should().Be(InboxOrdering.Meeting);
        }

        using var numeric = Services(new() { ["Inbox:Ordering"] = "7" });
        var read = () => numeric.GetRequiredService<IOptions<InboxOptions>>().Value;
        read.Should().Throw<OptionsValidationException>().WithMessage("*Inbox:Ordering must be Participant or Meeting*");
        using var word = Services(new() { ["Inbox:Ordering"] = "Webinar" });
        var readWord = () => word.GetRequiredService<IOptions<InboxOptions>>().Value;
        readWord.Should().Throw<InvalidOperationException>().WithMessage("*Inbox:Ordering*");
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddInbox().BuildServiceProvider();
    }
}
