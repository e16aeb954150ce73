using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// The built service as a real process (<c>dotnet ZoomWebhooks.dll</c>) on a free loopback port,
/// started from the test output folder, which holds the root appsettings files as a publish would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _folder;

    private ServiceProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>Resident memory of the process now, from /proc (Linux).</summary>
    public long ResidentBytes =>
        long.Parse(File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the service on a temporary inbox, unless <paramref name="environment"/> names another store.</summary>
    public static ServiceProcess Start(IDictionary<string, string> environment) =>
        Start(Path.Combine(AppContext.BaseDirectory, "ZoomWebhooks.dll"), AppContext.BaseDirectory, environment);

    /// <summary>Starts a built web project of its own (Debug build) from its folder.</summary>
    public static ServiceProcess StartProject(string projectFolder, IDictionary<string, string> environment) =>
        Start(Path.Combine(projectFolder, "bin", "Debug", "net10.0", Path.GetFileName(projectFolder) + ".dll"), projectFolder, environment);

    /// <summary>Posts a signed delivery to the process.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(byte[] body, string secret, IDictionary<string, string>? headers = null)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        using var request = SignedRequest.Create(body, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), headers: headers);
        return await client.SendAsync(request);
    }

    private static ServiceProcess Start(string dll, string workingDirectory, IDictionary<string, string> environment)
    {
        var port = FreePort();
        var folder = Path.GetDirectoryName(TempDatabase.NewPath())!;
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.Environment["ConnectionStrings__Inbox"] = $"Data Source={Path.Combine(folder, "inbox.db")}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!, folder, port);
    }

    public Task WaitForOutputAsync(string text) =>
        Eventually.Until(() => Task.FromResult(Output), o => o.Contains(text, StringComparison.Ordinal) || _process.HasExited,
            TimeSpan.FromSeconds(60), $"'{text}' in the service output");

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as docker stop or systemd sends: the host shuts down gracefully and flushes what it buffers.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a power cut or the OOM killer would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        TempDatabase.Delete(Path.Combine(_folder, "inbox.db"));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
