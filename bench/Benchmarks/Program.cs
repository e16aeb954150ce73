using BenchmarkDotNet.Running;
using ZoomWebhooks.Benchmarks.Load;

// `requests`, `prefill`, `drain`, `count`, `backlog`, `storm` and `serve` are the load tool bench/run.sh drives; anything else goes to
// BenchmarkDotNet (e.g. `--filter '*'`).
return args.FirstOrDefault() switch
{
    "requests" => RequestFile.Write(args[1..]),
    "prefill" => await Prefill.RunAsync(args[1..]),
    "drain" => await DrainWatch.RunAsync(args[1..]),
    "count" => await InboxCount.RunAsync(args[1..]),
    "backlog" => await BacklogWatch.RunAsync(args[1..]),
    "storm" => await Storm.RunAsync(args[1..]),
    "serve" => await Serve.RunAsync(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(RequestFile).Assembly).Run(args);
    return 0;
}
