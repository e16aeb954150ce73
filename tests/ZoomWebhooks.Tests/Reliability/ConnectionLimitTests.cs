using System.Net;
using System.Net.Sockets;
using System.Text;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.Reliability;

/// <summary>
/// Kestrel's limits as the service configures them (appsettings.json "Kestrel:Limits"), against
/// the real process: too many or too large headers are refused, a client that drips its headers
/// is cut off instead of holding a connection open.
/// </summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Too_many_too_large_or_too_slow_headers_are_refused_and_the_service_stays_up()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = ServiceFactory.DevelopmentSecret,
            // The shipped 10 s, shortened so the test does not wait for it.
            ["Kestrel__Limits__RequestHeadersTimeout"] = "00:00:01",
        });
        await service.WaitForOutputAsync("Application started");
        // 70 headers: within Kestrel's default of 100, over the configured 64.
        var headers = string.Concat(Enumerable.Range(0, 70).Select(i => $"x-h{i}: v\r\n"));

        var tooMany = await RawRequestAsync(service.Port, $"POST /webhooks/zoom HTTP/1.1\r\nHost: a\r\n{headers}Content-Length: 0\r\n\r\n");
        var tooLarge = await RawRequestAsync(service.Port, $"POST /webhooks/zoom HTTP/1.1\r\nHost: a\r\nx-big: {new string('a', 40_000)}\r\nContent-Length: 0\r\n\r\n");
        var dripped = await RawRequestAsync(service.Port, "POST /webhooks/zoom HTTP/1.1\r\nHost: a\r\n");

        tooMany.Should().StartWith("HTTP/1.1 431");
        tooLarge.Should().StartWith("HTTP/1.1 431");
        dripped.Should().Match(answer => answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal),
            "the server closes a connection whose headers never finish");
        using var client = new HttpClient();
        (await client.GetAsync(new Uri($"http://127.0.0.1:{service.Port}/health/live"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_dripped_slower_than_Kestrel_s_minimum_rate_is_cut_off()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Zoom__ActiveEnvironment"] = "Development",
            ["Zoom__Environments__Development__SecretToken"] = ServiceFactory.DevelopmentSecret,
        });
        await service.WaitForOutputAsync("Application started");
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, service.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /webhooks/zoom HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nx-zm-signature: v0=00\r\nx-zm-request-timestamp: 1\r\nContent-Length: 100000\r\n\r\n"));

        // Kestrel's minimum body rate is 240 bytes/s after a 5 s grace; 8 bytes/s is far below it.
        var cutOff = false;
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(125));
        for (var sent = 0; sent < 120 && !cutOff; sent++)
        {
            await pace.WaitForNextTickAsync();
            try
            {
                await stream.WriteAsync("{"u8.ToArray());
                cutOff = socket.Available > 0;
            }
            catch (IOException)
            {
                cutOff = true;
            }
        }

        cutOff.Should().BeTrue("the server must not wait 15 s for a body that never comes");
        using var client = new HttpClient();
        (await client.GetAsync(new Uri($"http://127.0.0.1:{service.Port}/health/live"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Sends raw bytes and reads until the server closes (or 15 s pass): what it answered, if anything.</summary>
    private static async Task<string> RawRequestAsync(int port, string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(answer.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset by the server: it answered with a close.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }
}
