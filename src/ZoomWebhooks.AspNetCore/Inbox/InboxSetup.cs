using Microsoft.Extensions.Options;
using Npgsql;
using ZoomWebhooks.Inbox.Postgres;
using ZoomWebhooks.Inbox.Sqlite;

namespace ZoomWebhooks.Inbox;

internal static class InboxSetup
{
    public static IServiceCollection AddInbox(this IServiceCollection services)
    {
        services.AddOptions<InboxOptions>()
            .BindConfiguration(InboxOptions.SectionName)
            .Validate(o => o.MaxAttempts >= 1, "Inbox:MaxAttempts must be at least 1.")
            .Validate(o => o.BatchSize >= 1 && o.Concurrency >= 1, "Inbox:BatchSize and Inbox:Concurrency must be at least 1.")
            .Validate(o => Enum.IsDefined(o.Ordering), "Inbox:Ordering must be Participant or Meeting.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Inbox:PollInterval must be positive.")
            .Validate(o => o.Retention > TimeSpan.Zero && o.RetentionInterval > TimeSpan.Zero, "Inbox:Retention and Inbox:RetentionInterval must be positive.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero && o.MaxRetryDelay >= o.RetryDelay, "Inbox:RetryDelay must be between zero and Inbox:MaxRetryDelay.")
            .Validate(o => o.Publish.Retries >= 0 && o.Publish.RetryDelay >= TimeSpan.Zero && o.Publish.AttemptTimeout > TimeSpan.Zero,
                "Inbox:Publish:Retries and Inbox:Publish:RetryDelay must not be negative, Inbox:Publish:AttemptTimeout must be positive.")
            // A dispatch may outlast the lease now that the dispatcher renews it every third of it;
            // what must hold is that a renewal (one round trip to the store) fits well within that.
            .Validate(o => o.LeaseDuration >= MinLeaseDuration,
                "Inbox:LeaseDuration must be at least 00:00:01: the dispatcher renews its leases every third of it, one round trip to the store each time.")
            .Validate<IConfiguration>((o, config) => o.Provider != InboxProvider.Postgres || IsPostgresConnectionString(ConnectionString(config)),
                "Inbox:Provider is Postgres, so ConnectionStrings:Inbox must be a PostgreSQL connection string, for example " +
                "Host=db;Database=zoomwebhooks;Username=zoomwebhooks;Password=...")
            .Validate(o => string.IsNullOrWhiteSpace(o.ImportFrom) || o.Provider == InboxProvider.Postgres,
                "Inbox:ImportFrom copies a SQLite inbox into PostgreSQL; it needs Inbox:Provider=Postgres.")
            .ValidateOnStart();

        services.AddSingleton<IInbox>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<InboxOptions>>().Value;
            var connectionString = ConnectionString(sp.GetRequiredService<IConfiguration>());
            return options.Provider switch
            {
                InboxProvider.Sqlite => new SqliteInbox(connectionString, sp.GetRequiredService<SqliteGroupCommit>()),
                InboxProvider.Postgres => new PostgresInbox(sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresInbox>>()),
                _ => throw new InvalidOperationException($"Inbox:Provider '{options.Provider}' is not available in this build."),
            };
        });
        // One writer per SQLite file in the process: the inbox and the meeting facts share its commits.
        services.AddSingleton(sp => new SqliteGroupCommit(SqliteInbox.PrepareConnectionString(ConnectionString(sp.GetRequiredService<IConfiguration>()))));
        // One pool per process on PostgreSQL, shared by the inbox and every feature's store, so
        // that ConnectionStrings:Inbox's Maximum Pool Size is what a receiver holds at most.
        // Keyed: an app with a data source of its own (AddNpgsqlDataSource, EF Core) keeps it.
        services.AddKeyedSingleton(DataSourceKey, (sp, _) => NpgsqlDataSource.Create(ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<InboxOptions>>().Value.Provider switch
        {
            InboxProvider.Sqlite => new InboxDatabase(ConnectionString(sp.GetRequiredService<IConfiguration>()), sp.GetRequiredService<SqliteGroupCommit>()),
            InboxProvider.Postgres => new InboxDatabase(sp.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey)),
            var other => throw new InvalidOperationException($"Inbox:Provider '{other}' is not available in this build."),
        });
        services.AddSingleton<SqliteFileLock>();
        services.AddHostedService<InboxInitializer>();
        services.AddHostedService<InboxRetention>();
        services.AddHostedService<SqliteImport>();
        return services;
    }

    /// <summary>The key of the inbox's <see cref="NpgsqlDataSource"/> among the app's services.</summary>
    internal const string DataSourceKey = "ZoomWebhooks.Inbox";

    internal static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(InboxOptions.ConnectionStringName) ?? InboxOptions.DefaultConnectionString;

    // Catches the SQLite default left in place when only the provider was switched.
    private static bool IsPostgresConnectionString(string connectionString)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    internal static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(1);

    /// <summary>The longest one publish can take: every try at its timeout, plus the retry delays with jitter.</summary>
    internal static TimeSpan MaxPublishTime(PublishOptions publish)
    {
        var delays = Enumerable.Range(0, publish.Retries).Select(i => publish.RetryDelay * Math.Pow(2, i) * 1.5);
        return (publish.AttemptTimeout * (publish.Retries + 1)) + delays.Aggregate(TimeSpan.Zero, (a, b) => a + b);
    }

    /// <summary>
    /// Creates or upgrades the schema before Kestrel takes the first request; on SQLite, first takes
    /// the file's lock (<see cref="SqliteFileLock"/>), so a second receiver on the file stops here.
    /// </summary>
    private sealed class InboxInitializer(IInbox inbox, IOptions<InboxOptions> options, IConfiguration configuration, SqliteFileLock fileLock)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (options.Value.Provider == InboxProvider.Sqlite)
            {
                fileLock.Take(ConnectionString(configuration));
            }

            return inbox.InitializeAsync(cancellationToken);
        }

        /// <summary>
        /// Stopped after the dispatcher and every feature registered later (hosts stop in reverse
        /// order), so the next receiver on the file may start once nothing of this one works on it.
        /// </summary>
        public Task StopAsync(CancellationToken cancellationToken)
        {
            fileLock.Release();
            return Task.CompletedTask;
        }
    }
}
