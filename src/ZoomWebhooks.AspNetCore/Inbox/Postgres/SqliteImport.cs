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

        // The source is only read: it may be read-only, or its old receiver may still be running.
        // A snapshot of it (SQLite's backup, consistent even while it is written) is migrated
        // instead, since a file of an older receiver lacks the newer columns (trace_parent) that
        // the copy reads, in a folder only this user can read (it holds the events' bodies).
        var folder = Directory.CreateTempSubdirectory("zoomwebhooks-import-");
        var snapshot = Path.Combine(folder.FullName, "inbox.db");
        try
        {
            await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder(source) { Mode = SqliteOpenMode.ReadOnly }.ToString()))
            await using (var to = new SqliteConnection($"Data Source={snapshot};Pooling=False"))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);
            }

            var (copied, skipped) = await CopyAsync(postgres, $"Data Source={snapshot};Pooling=False", cancellationToken);
            Log.Imported(logger, copied, skipped, source);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int Copied, int Skipped)> CopyAsync(PostgresInbox postgres, string snapshot, CancellationToken cancellationToken)
    {
        int copied = 0, skipped = 0;
        using var sqlite = new SqliteInbox(snapshot);
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

        return (copied, skipped);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Imported {Copied} events from the SQLite inbox {Source} ({Skipped} were already here); Inbox:ImportFrom can now be removed")]
        public static partial void Imported(ILogger logger, int copied, int skipped, string source);
    }
}
