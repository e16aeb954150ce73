// The bare endpoint of issue 7's table: read the whole body, answer 200 with the service's JSON.
// No verification, no storage, no logging; whatever the service costs beyond this is ours.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapPost("/webhooks/zoom", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    using var body = new MemoryStream();
    await request.Body.CopyToAsync(body, cancellationToken);
    return Results.Text("""{"status":"accepted"}""", "application/json");
});

// bench/run.sh with BENCH_OTLP=1 also runs this as the OTLP/HTTP collector of the export-on run
// (on the load generator's core): every export is read and answered 200, and counted.
var exports = 0L;
app.MapPost("/v1/{signal}", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    await request.Body.CopyToAsync(Stream.Null, cancellationToken);
    Interlocked.Increment(ref exports);
    return Results.Bytes([], "application/x-protobuf");
});
app.MapGet("/v1/exports", () => Interlocked.Read(ref exports).ToString(System.Globalization.CultureInfo.InvariantCulture));

await app.RunAsync();
