using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Inbox;

/// <summary>
/// The SQLite inbox holds emails and recording download tokens, and the key ring decrypts the
/// stored OAuth tokens: what the service creates for them is readable by its own user only, not
/// by every local user as the usual umask (022) would leave it.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StoreFileModeTests : IDisposable
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    // A folder of its own that the service must create: data/ and, by default, data/keys beside the file.
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoomwebhooks-tests", $"modes-{Guid.NewGuid():N}");

    [UnixFact]
    public async Task The_data_folder_the_database_its_WAL_SHM_and_lock_and_the_key_ring_are_created_for_the_owner_only()
    {
        var data = Path.Combine(_root, "data");
        var database = Path.Combine(data, "inbox.db");
        using var service = new ServiceFactory(databasePath: database);

        (await service.PostSignedAsync(Payloads.MeetingStarted())).StatusCode.Should().Be(HttpStatusCode.OK);
        // Storing a token encrypts it, which creates the key ring's first key.
        var now = service.Time.GetUtcNow();
        await service.Services.GetRequiredService<TokenStore>().SaveAsync(
            new StoredToken("acct-1", "user-1", "Development", "access", "refresh", now.AddHours(1), null, null, now), default);

        var keys = Path.Combine(data, "keys");
        File.Exists(database + "-wal").Should().BeTrue("the service is running in WAL mode with its writes not yet checkpointed");
        File.Exists(database + "-shm").Should().BeTrue();
        Directory.GetFiles(keys, "*.xml").Should().NotBeEmpty("the token was encrypted with a key of this ring");
        var folders = new[] { data, keys };
        var files = new[] { database, database + "-wal", database + "-shm", database + ".lock" }.Concat(Directory.GetFiles(keys));
        var wanted = folders.Select(f => (f, OwnerFolder)).Concat(files.Select(f => (f, OwnerFile)))
            .ToDictionary(e => Path.GetRelativePath(_root, e.f), e => Octal(e.Item2));
        var actual = folders.Concat(files).ToDictionary(f => Path.GetRelativePath(_root, f), f => Octal(File.GetUnixFileMode(f)));

        actual.Should().Equal(wanted, "nothing the service creates for the inbox or the key ring is readable by group or others");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
