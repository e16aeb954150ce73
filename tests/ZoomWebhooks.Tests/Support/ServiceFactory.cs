using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serilog.Core;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.Tests.Support;

/// <summary>
/// The real service in memory: its own temporary SQLite inbox, a captured log, in-memory
/// configuration and, unless told otherwise, a <see cref="FakeTimeProvider"/> set to now.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string DevelopmentSecret = "dev-token-aaaaaaaaaaaaaaaaaaaaaa";
    public const string ProductionSecret = "Qm9vdHN0cmFwUHJvZFRva2VuMQ";
    public const string ProductionClientId = "ProdClientId123";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;
    private readonly List<Action<IServiceCollection>> _services = [];

    public ServiceFactory(IDictionary<string, string?>? settings = null, TimeProvider? time = null, string? databasePath = null)
    {
        _ownsDatabase = databasePath is null;
        DatabasePath = databasePath ?? TempDatabase.NewPath();
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        _settings = new Dictionary<string, string?>
        {
            ["Zoom:ActiveEnvironment"] = "Development",
            ["Zoom:Environments:Development:SecretToken"] = DevelopmentSecret,
            ["Zoom:Environments:Production:SecretToken"] = ProductionSecret,
            ["Zoom:Environments:Production:ClientId"] = ProductionClientId,
            ["ConnectionStrings:Inbox"] = $"Data Source={DatabasePath}",
            ["Inbox:PollInterval"] = "00:00:00.050",
            ["Inbox:RetryDelay"] = "00:00:00.010",
            ["Inbox:MaxRetryDelay"] = "00:00:00.050",
            ["Inbox:Publish:RetryDelay"] = "00:00:00.001",
            ["Inbox:Publish:AttemptTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DatabasePath { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => (FakeTimeProvider)Time;

    public LogCapture Logs { get; } = new();

    internal IInbox Inbox => Services.GetRequiredService<IInbox>();

    /// <summary>Adds or replaces services (test handlers, a failing inbox) before the host starts.</summary>
    public ServiceFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Posts <paramref name="body"/> signed exactly as Zoom signs: HMAC over the raw bytes.</summary>
    public Task<HttpResponseMessage> PostSignedAsync(
        string body,
        string secret = DevelopmentSecret,
        long? timestamp = null,
        string? requestId = null,
        IDictionary<string, string>? headers = null) =>
        PostSignedAsync(Encoding.UTF8.GetBytes(body), secret, timestamp, requestId, headers);

    public async Task<HttpResponseMessage> PostSignedAsync(
        byte[] body,
        string secret = DevelopmentSecret,
        long? timestamp = null,
        string? requestId = null,
        IDictionary<string, string>? headers = null)
    {
        var ts = timestamp ?? Time.GetUtcNow().ToUnixTimeSeconds();
        using var request = SignedRequest.Create(body, secret, ts, requestId, headers);
        return await CreateClient().SendAsync(request);
    }

    public static ByteArrayContent Json(byte[] body) => SignedRequest.Json(body);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Time);
            services.AddSingleton<ILogEventSink>(Logs);
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            TempDatabase.Delete(DatabasePath);
        }
    }
}
