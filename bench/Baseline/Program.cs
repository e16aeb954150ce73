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

await app.RunAsync();
