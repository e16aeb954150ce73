using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// The active environment's Server-to-Server OAuth token for its account, cached in memory and
/// fetched again <c>Zoom:OAuth:RefreshBefore</c> before it expires, or at once after Zoom refused
/// it (<see cref="Invalidate"/>). One fetch at a time. Never logged: the record's
/// <see cref="AccountToken.ToString"/> leaves the token out.
/// </summary>
internal sealed class AccountTokens(ZoomOAuthClient zoom, IOptionsMonitor<ZoomOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private AccountToken? _current;

    /// <summary>How many tokens were fetched from Zoom; for the metrics and tests.</summary>
    public int Fetched { get; private set; }

    /// <exception cref="ZoomOAuthException">Zoom refused the credentials, or did not answer.</exception>
    public async Task<AccountToken> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } cached)
        {
            return cached;
        }

        await _fetch.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_current) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            var zoomOptions = options.CurrentValue;
            var credentials = zoomOptions.Active ?? throw new ZoomOAuthException(null, "invalid_configuration", "no active environment");
            var grant = await zoom.AccountCredentialsAsync(credentials, cancellationToken);
            Fetched++;
            _current = new AccountToken(grant.AccessToken, time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(grant.ExpiresIn, 0)));
            return _current;
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Zoom refused <paramref name="token"/>: the next <see cref="GetAsync"/> fetches a new one.</summary>
    public void Invalidate(AccountToken token) => Interlocked.CompareExchange(ref _current, null, token);

    private AccountToken? Fresh(AccountToken? token) =>
        token is not null && time.GetUtcNow() < token.ExpiresAt - options.CurrentValue.OAuth.RefreshBefore ? token : null;
}

/// <summary>An access token and when Zoom said it expires.</summary>
internal sealed record AccountToken(string AccessToken, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AccountToken {{ ExpiresAt = {ExpiresAt:O} }}";
}
