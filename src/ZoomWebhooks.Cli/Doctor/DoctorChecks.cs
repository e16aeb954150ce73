using ZoomWebhooks.Cli.Settings;

namespace ZoomWebhooks.Cli.Doctor;

/// <summary>
/// The service's own start-up checks (<see cref="ZoomOptionsValidator"/>, so doctor and the service
/// agree), then the mix-ups Zoom's documentation warns about that do not stop the service:
/// https://developers.zoom.us/docs/api/webhooks/ and https://developers.zoom.us/docs/distribute/app-submission/
/// </summary>
public static class DoctorChecks
{
    public const string PublicUrlKey = "Zoom:Webhooks:PublicUrl";

    public static IReadOnlyList<Finding> Run(CliSettings settings)
    {
        var zoom = settings.Zoom;
        var findings = new List<Finding>();
        var production = IsProduction(zoom.ActiveEnvironment);
        var active = production ? ZoomOptions.Production : ZoomOptions.Development;
        if (!string.IsNullOrWhiteSpace(zoom.Active?.SecretToken))
        {
            findings.Add(Finding.Ok($"Zoom:Environments:{active}:SecretToken is set: {Mask.Secret(zoom.Active.SecretToken)}"));
        }

        var productionHost = IsProduction(settings.HostEnvironment);
        var validation = new ZoomOptionsValidator(productionHost).Validate(null, zoom);
        findings.AddRange(validation.Failures?.Select(failure => Finding.Error(failure)) ?? []);
        if (zoom.Active is null)
        {
            return findings;
        }

        var (inactive, other) = zoom.Inactive;

        findings.AddRange(EnvironmentChecks.HostAgreement(settings.HostEnvironment, active));
        findings.AddRange(CredentialChecks.Confusions(other, inactive));
        findings.AddRange(CredentialChecks.Shared(zoom, production || productionHost));
        if (production)
        {
            findings.AddRange(CredentialChecks.ProductionValues(zoom.Active));
        }

        findings.AddRange(EnvironmentChecks.PublicUrl(settings.Configuration[PublicUrlKey], zoom.Webhooks.Path, production));
        findings.AddRange(OAuthChecks.Run(zoom));
        return findings;
    }

    public static bool IsProduction(string environment) =>
        string.Equals(environment, ZoomOptions.Production, StringComparison.OrdinalIgnoreCase);
}
