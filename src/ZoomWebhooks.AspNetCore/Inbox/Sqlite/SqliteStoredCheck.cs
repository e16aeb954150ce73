using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// Answers "is this delivery already stored?" from a read connection, before an accept queues for
/// the single writer. Zoom retries whatever it did not see answered in 3 seconds, so after an
/// outage the retries arrive in bulk; without this each one took a turn in the group commit and
/// waited out another batch's fsync to learn it was a duplicate (issue 7 measured 0.25-0.73x the
/// baseline). A WAL reader sees only committed rows, so a hit is an event already on disk and
/// answering 200 is safe. A miss proves nothing (the first delivery may be in the commit under
/// way): the writer's <c>ON CONFLICT DO NOTHING</c> stays the judge.
/// https://www.sqlite.org/wal.html#concurrency
/// </summary>
internal sealed class SqliteStoredCheck : IDisposable
{
    private const string Sql = """
        SELECT EXISTS (SELECT 1 FROM inbox_events WHERE request_id = @request_id)
            OR EXISTS (SELECT 1 FROM inbox_events WHERE body_hash = @body_hash);
        """;

    // Enough for the lookups the cores can run at once (each is synchronous); any beyond are
    // closed after use so that a burst does not leave a page cache per connection behind.
    private static readonly int MaxIdleReaders = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly string _connectionString;
    private readonly ConcurrentBag<Reader> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteStoredCheck(string connectionString) =>
        _connectionString = new SqliteConnectionStringBuilder(connectionString)
        {
            // Unpooled, so a closed reader is closed (the cap above is real) and its small page
            // cache never ends up on the writer's connection from the shared pool.
            Pooling = false,
            // The lookup is synchronous: the accept deadline cannot cut it short. A reader waits
            // only in rare moments (another process recovering the file after a crash); it gives up
            // after a second and leaves the delivery to the writer and its deadline.
            DefaultTimeout = 1,
        }.ToString();

    /// <summary>True when a committed row has this request id or body; false when not, or unknown.</summary>
    public bool IsStored(IncomingEvent incoming)
    {
        if (_disposed || !TryTakeIdle(out var reader) && !TryOpen(out reader))
        {
            return false;
        }

        bool stored;
        try
        {
            stored = reader.IsStored(incoming);
        }
        catch (SqliteException)
        {
            // An unreadable file is the writer's to report (503); this is only a shortcut.
            reader.Dispose();
            return false;
        }

        if (_disposed)
        {
            reader.Dispose();
        }
        else if (Interlocked.Increment(ref _idleCount) > MaxIdleReaders)
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Dispose();
        }
        else
        {
            _idle.Add(reader);
            if (_disposed)
            {
                Dispose();
            }
        }

        return stored;
    }

    public void Dispose()
    {
        _disposed = true;
        while (TryTakeIdle(out var reader))
        {
            reader.Dispose();
        }
    }

    private bool TryTakeIdle(out Reader reader)
    {
        if (_idle.TryTake(out reader!))
        {
            Interlocked.Decrement(ref _idleCount);
            return true;
        }

        return false;
    }

    private bool TryOpen(out Reader reader)
    {
        try
        {
            reader = new Reader(_connectionString);
            return true;
        }
        catch (SqliteException)
        {
            reader = null!;
            return false;
        }
    }

    /// <summary>A connection with its statement prepared once: a lookup is then two index probes.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _command;
        private readonly SqliteParameter _requestId;
        private readonly SqliteParameter _bodyHash;

        public Reader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            try
            {
                _connection.Open();
                using (var pragma = _connection.CreateCommand())
                {
                    // Two index probes need a few pages; the operating system caches the file
                    // anyway, and SQLite's default 2 MB per connection would add up across readers.
                    pragma.CommandText = "PRAGMA cache_size = -512;";
                    pragma.ExecuteNonQuery();
                }

                _command = _connection.CreateCommand();
                _command.CommandText = Sql;
                _requestId = _command.Parameters.Add("@request_id", SqliteType.Text);
                _bodyHash = _command.Parameters.Add("@body_hash", SqliteType.Text);
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }

        public bool IsStored(IncomingEvent incoming)
        {
            _requestId.Value = (object?)incoming.RequestId ?? DBNull.Value;
            _bodyHash.Value = incoming.BodyHash;
            return Convert.ToInt64(_command.ExecuteScalar(), null) == 1;
        }

        public void Dispose()
        {
            _command.Dispose();
            _connection.Dispose();
        }
    }
}
