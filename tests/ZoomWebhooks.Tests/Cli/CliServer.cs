using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Cli;

/// <summary>
/// The service on Kestrel at 127.0.0.1 and a free port, so the CLI talks to it over a real socket
/// as it does to `dotnet run`. The real clock: the CLI signs with the current time.
/// </summary>
internal sealed class CliServer : IDisposable
{
    private readonly ServiceFactory _factory;

    private CliServer(ServiceFactory factory, string baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public IInbox Inbox => _factory.Inbox;

    public static CliServer Start(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var factory = new ServiceFactory(settings, TimeProvider.System);
        if (services is not null)
        {
            factory.WithServices(services);
        }

        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new CliServer(factory, address);
    }

    public void Dispose() => _factory.Dispose();
}
