using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using ZoomWebhooks.Admin;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.ScaleOut;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is checked as data: it parses, it runs what
/// the README says, and every setting it passes is one the service actually reads, by the
/// configuration binder itself, so a renamed option cannot silently drift out of the file.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] ContractPrefixes = ["Zoom__", "Inbox__", "Admin__", "Recordings__", "ConnectionStrings__"];

    private readonly Dictionary<string, object> _compose = Parse(RepositoryFiles.Read("docker-compose.yml"));

    [Fact]
    public void Compose_runs_postgres_with_a_named_volume_and_a_health_check()
    {
        var postgres = Map(Map(_compose, "services"), "postgres");

        Map(postgres, "healthcheck").Should().ContainKey("test");
        var volume = List(postgres, "volumes").Cast<string>().Single().Split(':')[0];
        Map(_compose, "volumes").Should().ContainKey(volume, "the database outlives its container");
    }

    [Fact]
    public void Compose_runs_two_receivers_that_start_once_postgres_is_healthy_and_use_it_as_their_inbox()
    {
        var receivers = Receivers().ToList();

        receivers.Should().HaveCount(2);
        foreach (var receiver in receivers)
        {
            Map(Map(receiver, "depends_on"), "postgres")["condition"].Should().Be("service_healthy");
            var environment = Environment(receiver);
            environment["Inbox__Provider"].Should().Be(nameof(InboxProvider.Postgres));
            environment["ConnectionStrings__Inbox"].Should().StartWith("Host=postgres;");
        }
    }

    [Fact]
    public void Every_setting_the_compose_file_passes_binds_to_a_real_option()
    {
        foreach (var receiver in Receivers())
        {
            var settings = Environment(receiver)
                .Where(e => ContractPrefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal)))
                .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)Interpolation().Replace(e.Value, "value-from-env-file"));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

            // ErrorOnUnknownConfiguration: a key no property matches throws, naming the key.
            Action<BinderOptions> strict = o => o.ErrorOnUnknownConfiguration = true;
            configuration.GetSection(ZoomOptions.SectionName).Get<ZoomOptions>(strict)!.ActiveEnvironment.Should().Be(ZoomOptions.Production);
            configuration.GetSection(InboxOptions.SectionName).Get<InboxOptions>(strict)!.Provider.Should().Be(InboxProvider.Postgres);
            configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>(strict).Should().NotBeNull();
            configuration.GetSection(RecordingsOptions.SectionName).Get<RecordingsOptions>(strict).Should().NotBeNull();
            configuration.GetSection("ConnectionStrings").GetChildren().Select(c => c.Key)
                .Should().Equal([InboxOptions.ConnectionStringName], "the inbox is the only connection string the service reads");
            settings.Keys.Should().Contain($"{ZoomOptions.SectionName}:Environments:{ZoomOptions.Production}:SecretToken");
        }
    }

    [Fact]
    public void Every_published_port_binds_127_0_0_1_so_only_the_TLS_proxy_on_the_host_reaches_the_plain_HTTP_receivers()
    {
        var ports = Map(_compose, "services").Values.Cast<Dictionary<object, object>>().Select(Normalize)
            .Where(s => s.ContainsKey("ports"))
            .SelectMany(s => List(s, "ports"))
            .ToList();

        // Short syntax only ("host_ip:host_port:container_port"): "8081:8080" would publish on every interface.
        ports.Should().NotBeEmpty().And.AllBeOfType<string>();
        ports.Cast<string>().Should().OnlyContain(p => p.StartsWith("127.0.0.1:", StringComparison.Ordinal) && p.Split(':').Length == 3,
            "the receivers speak plain HTTP and carry the admin key; a TLS proxy on the host is what the world reaches");
    }

    [Fact]
    public void Both_receivers_keep_the_Data_Protection_key_ring_on_one_shared_named_volume()
    {
        var mounts = Receivers().Select(r => List(r, "volumes").Cast<string>().Single(m => m.EndsWith(":" + Environment(r)["DataProtection__KeysPath"], StringComparison.Ordinal))).ToList();

        mounts.Distinct().Should().ContainSingle("tokens one receiver stored must decrypt on the other");
        Map(_compose, "volumes").Should().ContainKey(mounts[0].Split(':')[0]);
    }

    [Fact]
    public void Recordings_are_off_unless_the_env_file_asks_and_then_go_to_one_shared_named_volume()
    {
        foreach (var receiver in Receivers())
        {
            Environment(receiver)["Recordings__Path"].Should().Be("${RECORDINGS_PATH:-}", "recordings stay off by default, as in the service");
            var mount = List(receiver, "volumes").Cast<string>().Single(m => m.StartsWith("recordings:", StringComparison.Ordinal));
            mount.Should().Be("recordings:/app/data/recordings", "a download one receiver began, the other resumes from the same folder");
        }

        Map(_compose, "volumes").Should().ContainKey("recordings");
        RepositoryFiles.Read(".env.example").Should().Contain("RECORDINGS_PATH=\n").And.Contain("/app/data/recordings");
    }

    [Fact]
    public void Every_variable_the_compose_file_takes_from_the_env_file_is_in_env_example()
    {
        var example = RepositoryFiles.Read(".env.example");
        var used = Interpolation().Matches(RepositoryFiles.Read("docker-compose.yml")).Select(m => m.Groups["name"].Value).Distinct();

        used.Should().NotBeEmpty().And.OnlyContain(name => Regex.IsMatch(example, $"^{name}=", RegexOptions.Multiline),
            "a secret the compose file needs must be documented in .env.example");
    }

    [Fact]
    public void The_image_is_multi_stage_runs_as_a_non_root_user_on_8080_and_checks_liveness()
    {
        var dockerfile = RepositoryFiles.Read("Dockerfile");

        Regex.Matches(dockerfile, "^FROM ", RegexOptions.Multiline).Should().HaveCount(2);
        dockerfile.Should().Contain("mcr.microsoft.com/dotnet/aspnet:10.0").And.Contain("ASPNETCORE_HTTP_PORTS=8080")
            .And.Contain("USER $APP_UID").And.MatchRegex("HEALTHCHECK[^\\n]*\\n?.*?/health/live");
    }

    [Fact]
    public void The_image_creates_the_inbox_and_key_ring_folders_for_the_app_user_only()
    {
        var dockerfile = RepositoryFiles.Read("Dockerfile");

        // The service creates missing folders 0700 itself, but keeps the mode of those the image made.
        dockerfile.Should().MatchRegex(@"RUN install -d -m 700 -o ""\$APP_UID"" /app/data /app/data/keys /app/data/recordings\n",
            "the inbox holds emails and download tokens, the key ring decrypts the stored OAuth tokens, recordings show people");
    }

    private IEnumerable<Dictionary<string, object>> Receivers() =>
        Map(_compose, "services").Values.Cast<Dictionary<object, object>>().Select(Normalize).Where(s => s.ContainsKey("build"));

    private static Dictionary<string, string> Environment(Dictionary<string, object> service) =>
        Map(service, "environment").ToDictionary(e => e.Key, e => e.Value.ToString()!);

    /// <summary>Parses with merge keys resolved (<c>&lt;&lt;: *receiver</c>), as Compose does.</summary>
    private static Dictionary<string, object> Parse(string yaml)
    {
        var parser = new MergingParser(new Parser(new StringReader(yaml)));
        return Normalize(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser));
    }

    private static Dictionary<string, object> Map(Dictionary<string, object> parent, string key) =>
        parent[key] switch
        {
            Dictionary<object, object> map => Normalize(map),
            null => [],
            var other => throw new InvalidOperationException($"'{key}' is a {other.GetType().Name}, not a mapping."),
        };

    private static List<object> List(Dictionary<string, object> parent, string key) => (List<object>)parent[key];

    private static Dictionary<string, object> Normalize(Dictionary<object, object> map) =>
        map.ToDictionary(e => e.Key.ToString()!, e => e.Value);

    [GeneratedRegex(@"\$\{(?<name>[A-Z_][A-Z0-9_]*)[^}]*\}")]
    private static partial Regex Interpolation();
}
