using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ZoomWebhooks.Hosting;

public static class ServerLimits
{
    /// <summary>
    /// Applies <c>Kestrel:Limits</c> from configuration (header count and size, header timeout, ...).
    /// The host reads the <c>Kestrel</c> section for endpoints only; without this the limits in
    /// appsettings.json would be silently ignored. Zoom sends small requests at once, so tight
    /// limits cost it nothing and cut slow or oversized requests early. Also problem-details bodies
    /// for the host's own errors (an unhandled exception, a 404), like the receiver's rejections;
    /// the library leaves that choice to the app.
    /// </summary>
    public static WebApplicationBuilder AddServerLimits(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.Services.AddProblemDetails();
        return builder;
    }
}
