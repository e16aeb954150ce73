
namespace ZoomWebhooks.Cli.Doctor;

/// <summary>Does the credential environment fit the host, and can Zoom reach the public URL at all.</summary>
internal static class EnvironmentChecks
{
    public static IEnumerable<Finding> HostAgreement(string hostEnvironment, string credentialEnvironment)
    {
        var hostIsProduction = DoctorChecks.IsProduction(hostEnvironment);
        var credentialsAreProduction = credentialEnvironment == ZoomOptions.Production;
        if (hostIsProduction && !credentialsAreProduction)
        {
            yield return Finding.Error(
                $"The host environment is {hostEnvironment} but Zoom:ActiveEnvironment is Development: a live deployment would verify with the development app's Secret Token and refuse every real event.",
                "Set Zoom__ActiveEnvironment=Production (and the production credentials) where the service runs.");
        }
        else if (!hostIsProduction && credentialsAreProduction)
        {
            yield return Finding.Warn(
                $"The host environment is {hostEnvironment} but Zoom:ActiveEnvironment is Production: tests here use the live app's credentials.",
                "Use the development credentials while testing (Zoom__ActiveEnvironment=Development), unless this is a deliberate production check.");
        }
        else
        {
            yield return Finding.Ok($"Host environment {hostEnvironment} and credential environment {credentialEnvironment} agree.");
        }
    }

    /// <summary>Zoom only posts to HTTPS URLs it can reach; the key is optional and used by tooling only.</summary>
    public static IEnumerable<Finding> PublicUrl(string? publicUrl, string webhookPath, bool production)
    {
        const string Key = DoctorChecks.PublicUrlKey;
        if (string.IsNullOrWhiteSpace(publicUrl))
        {
            if (production)
            {
                yield return Finding.Warn(
                    $"{Key} is not set, so the URL Zoom posts to cannot be checked.",
                    $"Set it to the HTTPS URL entered as Event notification endpoint URL in the Zoom app (ending in {webhookPath}).");
            }

            yield break;
        }

        if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            yield return Finding.Error(
                $"{Key} is '{publicUrl}': Zoom only delivers to https:// URLs.",
                "Put the service behind TLS (a reverse proxy or a tunnel) and use its https:// address.");
            yield break;
        }

        if (url.IsLoopback)
        {
            yield return Finding.Error($"{Key} is '{publicUrl}': Zoom cannot reach a loopback address.", "Use a tunnel or the public host name.");
        }
        else if (!url.AbsolutePath.EndsWith(webhookPath, StringComparison.Ordinal))
        {
            yield return Finding.Warn(
                $"{Key} is '{publicUrl}' but the service listens on {webhookPath}.",
                "Make the public URL end with Zoom:Webhooks:Path, unless a proxy rewrites the path.");
        }
        else
        {
            yield return Finding.Ok($"{Key} is {publicUrl}.");
        }
    }
}
