using System.CommandLine;

namespace ZoomWebhooks.Cli.FakeZoom;

/// <summary>
/// <c>zoomhook fake-zoom</c>: a local stand-in for Zoom's WebSocket event subscription, to try the
/// service's WebSocket transport without a Zoom account (README, "Receiving over WebSocket").
/// Runs until Ctrl+C and prints the settings that point the service at it.
/// </summary>
public static class FakeZoomCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1.", DefaultValueFactory = _ => 9010 };
        var subscription = new Option<string>("--subscription-id") { Description = "The subscription id it accepts.", DefaultValueFactory = _ => "fake-subscription" };
        var clientId = new Option<string>("--client-id") { Description = "The Server-to-Server app's client id it accepts.", DefaultValueFactory = _ => "fake-client-id" };
        var clientSecret = new Option<string>("--client-secret") { Description = "The client secret it accepts.", DefaultValueFactory = _ => "fake-client-secret" };
        var accountId = new Option<string>("--account-id") { Description = "The account id it accepts.", DefaultValueFactory = _ => "fake-account" };
        var heartbeat = new Option<TimeSpan>("--heartbeat-timeout")
        {
            Description = "Close a socket whose heartbeats stop for this long.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(90),
        };
        var command = new Command("fake-zoom", "Run a fake Zoom WebSocket event subscription (and its token endpoint) on 127.0.0.1 until Ctrl+C.")
        {
            port, subscription, clientId, clientSecret, accountId, heartbeat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new FakeZoomSettings(parse.GetValue(subscription)!, parse.GetValue(clientId)!, parse.GetValue(clientSecret)!, parse.GetValue(accountId)!)
            {
                Port = parse.GetValue(port),
                HeartbeatTimeout = parse.GetValue(heartbeat),
                Time = environment.Time,
            };
            var output = environment.Out;
            await using var fake = await FakeZoomServer.StartAsync(settings, line =>
            {
                lock (output)
                {
                    output.WriteLine($"fake-zoom: {line}");
                }
            });
            output.WriteLine($"Fake Zoom listening on {fake.BaseUrl}. Point the service at it with:");
            output.WriteLine("  Zoom__WebSocket__Enabled=true");
            output.WriteLine($"  Zoom__WebSocket__Url={fake.WebSocketUrl}");
            output.WriteLine($"  Zoom__WebSocket__SubscriptionId={settings.SubscriptionId}");
            output.WriteLine($"  Zoom__OAuth__TokenUrl={fake.TokenUrl}");
            output.WriteLine($"  Zoom__Environments__Development__AccountId={settings.AccountId}");
            output.WriteLine($"  Zoom__Environments__Development__ClientId={settings.ClientId}");
            output.WriteLine($"  Zoom__Environments__Development__ClientSecret={settings.ClientSecret}");
            output.WriteLine($"Push an event: curl -X POST --data-binary @samples/meeting.started.json {fake.BaseUrl}/fake/push");
            output.WriteLine($"Drop the socket: curl -X POST {fake.BaseUrl}/fake/close    Counters: curl {fake.BaseUrl}/fake/status");
            output.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C.
            }

            return 0;
        });
        return command;
    }
}
