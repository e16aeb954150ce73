namespace ZoomWebhooks.Cli.Payloads;

/// <summary>One payload to send: where it came from and its exact bytes.</summary>
public sealed record PayloadFile(string Name, byte[] Body);

/// <summary>Turns the command line's paths into payloads: a file, every *.json of a folder (sorted), or '-' for standard input.</summary>
public static class PayloadFiles
{
    public const string StandardInput = "-";

    public static IReadOnlyList<PayloadFile> Read(IEnumerable<string> paths, CliEnvironment environment, out bool anyFolder)
    {
        anyFolder = false;
        var files = new List<PayloadFile>();
        foreach (var path in paths)
        {
            if (path == StandardInput)
            {
                using var input = environment.OpenInput();
                using var copy = new MemoryStream();
                input.CopyTo(copy);
                files.Add(new PayloadFile("(stdin)", copy.ToArray()));
                continue;
            }

            var full = Path.GetFullPath(path, environment.WorkingDirectory);
            if (Directory.Exists(full))
            {
                anyFolder = true;
                files.AddRange(Directory.GetFiles(full, "*.json")
                    .Order(StringComparer.Ordinal)
                    .Select(file => new PayloadFile(Path.Join(path, Path.GetFileName(file)), File.ReadAllBytes(file))));
            }
            else if (File.Exists(full))
            {
                files.Add(new PayloadFile(path, File.ReadAllBytes(full)));
            }
            else
            {
                throw new FileNotFoundException($"No file or folder '{path}'.", path);
            }
        }

        return files;
    }
}
