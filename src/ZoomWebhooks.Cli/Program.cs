namespace ZoomWebhooks.Cli;

// A named class, not top-level statements: the tests reference both this tool and the service,
// and two global `Program` classes would collide there.
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.InvokeAsync(args, CliEnvironment.FromProcess());
}
