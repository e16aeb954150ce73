using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Inbox.Sqlite;

namespace ZoomWebhooks.Inbox.Postgres;

/// <summary>
/// Moving from SQLite to PostgreSQL: with <c>Inbox:ImportFrom</c> naming the old SQLite inbox,
/// the PostgreSQL receiver copies its events in at start, before it takes a request or
/// dispatches anything. Pending and leased events are then dispatched here; dead ones stay
/// replayable; done ones are copied too, so that a Zoom retry of an event the old receiver already
/// acknowledged is still recognised as a duplicate (Zoom retries for about 85 minutes).
/// </summary>
internal sealed partial class SqliteImport(IInbox inbox, IOptions<InboxOptions> options, ILogger<SqliteImport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var source = options.Value.ImportFrom;
        if (string.IsNullOrWhiteSpace(source) || inbox is not PostgresInbox postgres)
        {
            return;
        }

        // Opening a missing file would create an empty one and import nothing, silently.
        var file = new SqliteConnectionStringBuilder(source).DataSource;
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"Inbox:ImportFrom names the SQLite file '{file}', which does not exist.");
        }

        int copied = 0, skipped = 0;
        using var sqlite = new SqliteInbox(source);
        // A file left by an older receiver lacks the newer columns (trace_parent, issue 19) that
        // the copy reads; its migrations only add columns and tables.
        await sqlite.InitializeAsync(cancellationToken);
        await foreach (var entry in sqlite.ReadAllAsync(cancellationToken))
        {
            if (await postgres.ImportAsync(entry, cancellationToken))
            {
                copied++;
            }
            else
            {
                skipped++;
            }
        }

        Log.Imported(logger, copied, skipped, source);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Imported {Copied} events from the SQLite inbox {Source} ({Skipped} were already here); Inbox:ImportFrom can now be removed")]
        public static partial void Imported(ILogger logger, int copied, int skipped, string source);
    }
}
