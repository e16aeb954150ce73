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

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddInbox().BuildServiceProvider();
    }
}
