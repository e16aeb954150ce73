namespace ZoomWebhooks.Inbox;

/// <summary>
/// Creates the folders and files that hold stored data (the SQLite inbox, the Data Protection key
/// ring) readable by the service's own user only: 0700 and 0600 on Unix, where the usual umask
/// (022) would leave them readable by every local user. What already exists keeps its mode (an
/// operator's choice, or a shared mount); Windows has no modes and inherits the folder's ACL.
/// </summary>
internal static class OwnerOnly
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>The folder and any missing parents, each new one 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, FolderMode);
        }
    }

    /// <summary>
    /// An empty file, 0600, unless one is there. SQLite takes an empty file for an empty database,
    /// and on Unix gives its -wal and -shm files the database file's mode.
    /// https://www.sqlite.org/src/doc/trunk/src/os_unix.c (findCreateFileMode)
    /// </summary>
    public static void CreateFile(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by another opener; its mode is this one's.
        }
    }
}
