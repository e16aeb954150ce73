using ZoomWebhooks.Cli;

return await CliApp.InvokeAsync(args, CliEnvironment.FromProcess());
