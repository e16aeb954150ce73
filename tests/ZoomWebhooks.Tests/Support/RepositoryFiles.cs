namespace ZoomWebhooks.Tests.Support;

/// <summary>Files at the repository root (docker-compose.yml, Dockerfile, ...), found from the test binaries upwards.</summary>
public static class RepositoryFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(RootFolder(), name));

    public static string RootFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ZoomWebhooks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ZoomWebhooks.sln above {AppContext.BaseDirectory}.");
    }
}
