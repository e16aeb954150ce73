using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// One real PostgreSQL for the whole test run: the server named by
/// <c>ZOOMWEBHOOKS_TEST_POSTGRES</c> (a connection string) or, without it, a throwaway one made
/// with <c>initdb</c> + <c>pg_ctl</c> in a temporary folder, listening only on 127.0.0.1 on a free
/// port, and removed when the test process exits. No binaries and no connection string is a
/// failure, never a skip: the PostgreSQL inbox must be tested wherever the suite runs.
/// </summary>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "ZOOMWEBHOOKS_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string? _folder;
    private readonly string? _binaries;

    private PostgresServer(string adminConnectionString, string? folder, string? binaries)
    {
        AdminConnectionString = adminConnectionString;
        _folder = folder;
        _binaries = binaries;
    }

    /// <summary>A connection string to the server's maintenance database, for creating test databases.</summary>
    public string AdminConnectionString { get; }

    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            return new PostgresServer(external, folder: null, binaries: null);
        }

        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "The PostgreSQL inbox tests need a PostgreSQL server and none is available: initdb was found neither on PATH " +
            "nor in /usr/lib/postgresql/*/bin. Install it (Debian: apt-get install postgresql; .ci/run does this) or set " +
            $"{EnvironmentVariable} to the connection string of a server the tests may create databases on.");

        RemoveStaleFolders();
        var folder = Path.Combine(Path.GetTempPath(), $"zoomwebhooks-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        // initdb refuses to run as root; the server then runs as the postgres user, which must own the folder.
        var asPostgres = Environment.IsPrivilegedProcess;
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(binaries, "initdb"),
            ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres);

        var port = FreePort();
        // fsync off: this server lives for one test run; durability is not what the tests measure.
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(binaries, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"], asPostgres);

        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", folder, binaries);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asPostgres);
        return server;
    }

    /// <summary>
    /// Stops the server and removes its folder from a shell of its own session (setsid -f): the
    /// test runner may kill the test host and its children while exit handlers still run.
    /// </summary>
    private void Stop(bool asPostgres)
    {
        NpgsqlConnection.ClearAllPools();
        var pgCtl = $"'{Path.Combine(_binaries!, "pg_ctl")}' -D '{Path.Combine(_folder!, "data")}' -m immediate -w stop";
        var script = $"{(asPostgres ? "runuser -u postgres -- " : "")}{pgCtl} >/dev/null 2>&1; rm -rf '{_folder}'";
        using var process = Process.Start(new ProcessStartInfo("setsid") { ArgumentList = { "-f", "sh", "-c", script } });
        process?.WaitForExit(TimeSpan.FromSeconds(5));
    }

    /// <summary>Folders of earlier runs whose server is gone (no postmaster.pid), left by a killed test host.</summary>
    private static void RemoveStaleFolders()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "zoomwebhooks-pg-*"))
        {
            if (!File.Exists(Path.Combine(folder, "data", "postmaster.pid"))
                && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another run's folder in use; it cleans up after itself.
                }
            }
        }
    }

    /// <summary>The newest /usr/lib/postgresql/N/bin (Debian keeps initdb off PATH), else initdb's folder on PATH.</summary>
    private static string? FindBinaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl's server inherits the pipes; read to the end only of what the command itself prints.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {await error}{await output}");
        }
    }
}
