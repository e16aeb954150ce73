using Microsoft.Data.Sqlite;

namespace ZoomWebhooks.Tests.Support;

/// <summary>One SQLite file per test, removed afterwards, so no test sees another's rows.</summary>
public static class TempDatabase
{
    public static string NewPath() =>
        Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"{Guid.NewGuid():N}", "inbox.db");

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(path);
        if (folder is not null && Directory.Exists(folder))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a disposing host; the temp folder is cleaned by the OS.
            }
        }
    }
}
