using Microsoft.AspNetCore.Antiforgery;

namespace ZoomWebhooks.Dashboard;

/// <summary>
/// What one request's page shows, set by its endpoint before the component renders. Razor
/// components are public classes; passing the model through this scoped service instead of
/// parameters keeps every model type internal and the components without public members of
/// their own.
/// </summary>
internal sealed class DashboardView
{
    public object? Model { get; set; }

    /// <summary>The antiforgery token every form on the page posts back.</summary>
    public AntiforgeryTokenSet? Form { get; set; }

    public bool SignedIn { get; set; }

    /// <summary>Whether cloud recordings are on (<c>AddRecordings()</c>), so the navigation shows their page.</summary>
    public bool Recordings { get; set; }

    public T Get<T>() => Model is T model ? model : throw new InvalidOperationException($"The page expects a {typeof(T).Name}.");
}
