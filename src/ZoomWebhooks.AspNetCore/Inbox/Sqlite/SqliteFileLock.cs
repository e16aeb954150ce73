using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Inbox.Sqlite;

/// <summary>
/// One receiver per SQLite file, enforced: an exclusive lock on <c>{file}.lock</c> beside the
/// database, taken before the inbox starts and held for the life of the host. SQLite is one
/// process per file by design, and the inbox takes back every lease it finds at start
/// (<see cref="SqliteInbox"/>): a second process on the file, even briefly during a deploy, would
/// take over the first one's events while it still works on them. With the lock the second one
/// refuses to start instead, saying why. The operating system drops the lock when the process
/// ends, however it ends (<c>kill -9</c>, a power cut), so a crash never leaves one behind, and the
/// host lets it go when it stops. On Unix it is an advisory <c>flock</c>: it binds receivers, not
/// tools that read the file. It is per open file, so two hosts in one process on one file (tests in
/// parallel on the default <c>data/inbox.db</c>) conflict too: give each its own file.
/// A <c>file:</c> URI connection string takes no lock.
/// </summary>
internal sealed class SqliteFileLock : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock _gate = new();
    private FileStream? _held;

    /// <summary>The lock file of a file database; null for an in-memory one or a <c>file:</c> URI.</summary>
    public static string? PathFor(string connectionString) =>
        SqliteInbox.FileOf(new SqliteConnectionStringBuilder(connectionString)) is { } file && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(file) + ".lock"
            : null;

    /// <summary>Takes the lock of the inbox's file (nothing for an in-memory database); once per host.</summary>
    /// <exception cref="InboxInUseException">Another process holds it: it runs a receiver on this file.</exception>
    public void Take(string connectionString)
    {
        if (PathFor(connectionString) is not { } path)
        {
            return;
        }

        lock (_gate)
        {
            if (_held is not null)
            {
                return;
            }

            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerFile;
            }

            try
            {
                _held = new FileStream(path, options);
            }
            catch (IOException ex) when (IsHeldElsewhere(ex))
            {
                throw new InboxInUseException(
                    $"Another process already runs a receiver on the SQLite inbox {path[..^".lock".Length]}: it holds {path}. " +
                    "SQLite is one process per file, and a second one would take over the first one's events while it still works on them. " +
                    "Stop the other process first (a deploy must stop the old receiver before starting the new one), " +
                    "or set Inbox:Provider=Postgres to run several receivers on one inbox.", ex);
            }
        }
    }

    /// <summary>
    /// The lock is taken: EWOULDBLOCK from <c>flock</c> (11 on Linux, 35 on macOS and the BSDs), or a
    /// sharing or lock violation on Windows. Anything else (a read-only or full disk, a path too
    /// long) is that failure, not another receiver, and is thrown as it is.
    /// </summary>
    private static bool IsHeldElsewhere(IOException exception) => OperatingSystem.IsWindows()
        ? (exception.HResult & 0xFFFF) is 32 or 33
        : exception.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    /// <summary>Lets the file go (the host stops); taking it again later is allowed.</summary>
    public void Release() => Dispose();

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}
