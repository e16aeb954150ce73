using System.Threading.Channels;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// Group commit for every write of the inbox's hot paths: accepts, and the dispatcher's claims and
/// done / retry / dead / release updates. SQLite has one writer at a time, and with
/// <c>synchronous=FULL</c> each commit costs an fsync (~0.4 ms on this project's test machine).
/// One statement per transaction made concurrent writers queue on the file lock, each sleeping
/// and retrying on SQLITE_BUSY (issue 7 measured 154 accepts/s, p99 1.3 s). Here one writer thread
/// takes every write that queued while the previous commit was on its way to disk and runs them
/// all in one transaction, one fsync; being the only writer in the process, it never meets
/// SQLITE_BUSY from a sibling. No caller hears of its write before that commit returns. A write
/// that fails on its own (a constraint, a value SQLite refuses) is rolled back to its savepoint and
/// fails its caller alone; a failure of the store (busy, I/O, full disk) fails every caller in the
/// batch. Either way an acknowledged event is still on disk, and a lost one is still a 503 that
/// Zoom retries.
/// https://www.sqlite.org/lockingv3.html, https://learn.microsoft.com/dotnet/standard/data/sqlite/database-errors
/// </summary>
internal sealed class SqliteGroupCommit(string connectionString) : IDisposable
{
    // Bounds one transaction, not the queue: a bigger burst just takes several commits.
    private const int MaxBatch = 512;

    private readonly RecentlyStored _recent = new();
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Thread? _writer;

    /// <summary>
    /// A repeat of a delivery this writer stored is answered at once (<see cref="RecentlyStored"/>).
    /// The caller stops waiting when its token fires, even while its insert is queued or running:
    /// the endpoint's accept deadline must hold under a slow disk. An insert that still commits
    /// afterwards is found as a duplicate when Zoom retries. (Claims and settles keep waiting: a
    /// claim committed after its caller left would lease events nobody works on.)
    /// </summary>
    public Task<AcceptResult> AcceptAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var keys = RecentlyStored.Keys.Of(incoming);
        return _recent.Contains(keys)
            ? Task.FromResult(AcceptResult.Duplicate)
            : Enqueue(new Accept(incoming, keys, _recent, cancellationToken)).WaitAsync(cancellationToken);
    }

    public Task<List<ClaimedEvent>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
        Enqueue(new Claim(request, cancellationToken));

    /// <summary>Runs an UPDATE of one leased row; true when it changed that row.</summary>
    public Task<bool> UpdateLeasedAsync(LeasedUpdate update, CancellationToken cancellationToken) =>
        Enqueue(new Update(update, cancellationToken));

    /// <summary>
    /// Another feature's write to the same database file (the meeting facts): through this writer,
    /// it shares the batch's commit instead of fighting it for SQLite's single write lock.
    /// </summary>
    public Task<int> ExecuteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        Enqueue(new Statement(sql, parameters, cancellationToken));

    /// <summary>Forgets every remembered delivery: rows were deleted, and a repeat of one is new again.</summary>
    public void ForgetRecent() => _recent.Clear();

    /// <summary>Stores what is already queued, then stops the writer.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        // Should a continuation running on the writer ever end in disposing this, the writer
        // cannot wait for itself; it finishes the queue once that continuation returns.
        if (_writer is { } writer && writer != Thread.CurrentThread)
        {
            writer.Join(TimeSpan.FromSeconds(10));
        }
    }

    private Task<T> Enqueue<T>(Work<T> work)
    {
        work.Cancellation.ThrowIfCancellationRequested();
        EnsureWriter();
        return _queue.Writer.TryWrite(work) ? work.Task : throw new ObjectDisposedException(nameof(SqliteInbox));
    }

    private void EnsureWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_writer is null)
            {
                // A thread of its own: Microsoft.Data.Sqlite is synchronous, and an fsync held on
                // a thread-pool thread would starve request processing on a one-core machine.
                var writer = new Thread(WriteLoop) { IsBackground = true, Name = "inbox-group-commit" };
                writer.Start();
                Volatile.Write(ref _writer, writer);
            }
        }
    }

    private void WriteLoop()
    {
        var batch = new List<Work>(MaxBatch);
        SqliteBatchWriter? writer = null;
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var work))
            {
                // A caller that gave up before its write is not stored; one that gives up later
                // still is (an accept then comes back from Zoom as a duplicate).
                if (work.Cancellation.IsCancellationRequested)
                {
                    work.Cancel();
                }
                else
                {
                    batch.Add(work);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                writer ??= new SqliteBatchWriter(connectionString);
                writer.Run(batch, static (w, work) => work.Execute(w), static (work, ex) => work.Failure = ex, static work => work.OneStatement);
            }
            catch (Exception ex)
            {
                batch.ForEach(work => work.Fail(work.Failure ?? ex));
                // The next batch starts from a fresh connection (the file may have come back).
                writer?.Dispose();
                writer = null;
                continue;
            }

            // A failed item hears of it only now, as the others hear of their commit.
            batch.ForEach(work =>
            {
                if (work.Failure is { } failure)
                {
                    work.Fail(failure);
                }
                else
                {
                    work.Complete();
                }
            });
        }

        writer?.Dispose();
    }

    private abstract class Work(CancellationToken cancellation)
    {
        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>This item's own failure, rolled back to its savepoint while the batch went on.</summary>
        public Exception? Failure { get; set; }

        /// <summary>One SQL statement, which SQLite backs out alone when it fails: no savepoint needed.</summary>
        public virtual bool OneStatement => false;

        /// <summary>Runs inside the batch's transaction and keeps its result until the commit.</summary>
        public abstract void Execute(SqliteBatchWriter writer);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private abstract class Work<T>(CancellationToken cancellation, bool continueOnWriter = false) : Work(cancellation)
    {
        // Request continuations run off the writer thread, which goes straight back to the next batch.
        private readonly TaskCompletionSource<T> _completion =
            new(continueOnWriter ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _completion.Task;

        protected T Result { get; set; } = default!;

        public override void Complete() => _completion.TrySetResult(Result);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Cancel() => _completion.TrySetCanceled(Cancellation);
    }

    private sealed class Accept(IncomingEvent incoming, RecentlyStored.Keys keys, RecentlyStored recent, CancellationToken cancellation)
        : Work<AcceptResult>(cancellation)
    {
        public override bool OneStatement => true;

        public override void Execute(SqliteBatchWriter writer) => Result = writer.Insert(incoming);

        /// <summary>
        /// Stored now: its repeats need no turn of their own. A duplicate is not remembered: the row
        /// it matched may share only one of its two keys, and the other must stay unknown.
        /// </summary>
        public override void Complete()
        {
            if (Result.IsNew)
            {
                recent.Add(keys);
            }

            base.Complete();
        }
    }

    private sealed class Claim(ClaimRequest request, CancellationToken cancellation) : Work<List<ClaimedEvent>>(cancellation)
    {
        public override bool OneStatement => true;

        public override void Execute(SqliteBatchWriter writer) => Result = writer.Claim(request);
    }

    /// <summary>
    /// Continues on the writer: the dispatcher logs a settle's outcome right after its write, and
    /// whoever reads the row (an operator, a test) expects that line to follow at once, as it did
    /// when the write was a synchronous call. The continuation is that log line (the dispatcher
    /// yields before anything else), so it holds the writer for microseconds.
    /// </summary>
    private sealed class Update(LeasedUpdate update, CancellationToken cancellation) : Work<bool>(cancellation, continueOnWriter: true)
    {
        public override bool OneStatement => true;

        public override void Execute(SqliteBatchWriter writer) => Result = writer.Update(update) == 1;
    }

    private sealed class Statement(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellation)
        : Work<int>(cancellation)
    {
        /// <summary>
        /// No semicolon but the last: one statement (a meeting fact's insert). Text with another,
        /// even one inside a literal, is taken for several and gets its savepoint.
        /// </summary>
        public override bool OneStatement { get; } = sql.AsSpan().Trim().TrimEnd(';').IndexOf(';') < 0;

        public override void Execute(SqliteBatchWriter writer) => Result = writer.Execute(sql, parameters);
    }
}
