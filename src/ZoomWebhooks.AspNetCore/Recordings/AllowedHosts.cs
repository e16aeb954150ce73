namespace ZoomWebhooks.Recordings;

/// <summary>
/// <c>Recordings:AllowedHosts</c>: a download URL, and every redirect it answers with, must name
/// one of these hosts (<c>*.example.com</c> for its subdomains) over https, or http to a loopback
/// host for a local test server. Checked before any byte is sent.
/// </summary>
internal static class AllowedHosts
{
    public static bool Allows(IReadOnlyList<string> patterns, Uri uri)
    {
        if (!uri.IsAbsoluteUri || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var host = uri.IdnHost.TrimEnd('.');
        foreach (var pattern in patterns)
        {
            var p = pattern.Trim().TrimEnd('.');
            if (p.StartsWith("*.", StringComparison.Ordinal)
                ? host.Length > p.Length - 1 && host.EndsWith(p[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(host, p, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A pattern is a host name or address, optionally with a leading <c>*.</c>; nothing else (no scheme, port or path).</summary>
    public static bool IsValidPattern(string pattern)
    {
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown && !host.Contains('*', StringComparison.Ordinal);
    }
}
