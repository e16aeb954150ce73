using Microsoft.Data.Sqlite;
using ZoomWebhooks.Inbox.Sqlite;

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

    /// <summary>
    /// An open connection to <paramref name="path"/> holding the schema as a version before
    /// <paramref name="migration"/> left it (every migration ahead of the first that
    /// <paramref name="migration"/> matches), for an upgrade test to fill and then upgrade.
    /// </summary>
    public static async Task<SqliteConnection> OpenBeforeAsync(string path, Func<string, bool> migration)
    {
        var upgrade = SqliteSchema.Migrations.ToList().FindIndex(m => migration(m));
        if (upgrade <= 0)
        {
            throw new InvalidOperationException("No such migration after the first.");
        }

        var old = new SqliteConnection(SqliteInbox.PrepareConnectionString($"Data Source={path};Pooling=False"));
        await old.OpenAsync();
        foreach (var (step, version) in SqliteSchema.Migrations.Take(upgrade).Select((m, i) => (m, i + 1)))
        {
            await using var command = new SqliteCommand($"{step}\nPRAGMA user_version = {version};", old);
            await command.ExecuteNonQueryAsync();
        }

        return old;
    }
}
