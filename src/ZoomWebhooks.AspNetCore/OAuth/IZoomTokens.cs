namespace ZoomWebhooks;

/// <summary>What a handler needs to call Zoom's API on behalf of an account.</summary>
public interface IZoomTokens
{
    /// <summary>
    /// A valid access token of the account's most recently authorized user, refreshed first when
    /// it is within <c>Zoom:OAuth:RefreshBefore</c> of expiry. Send it as <c>Authorization: Bearer</c>.
    /// </summary>
    /// <exception cref="ZoomNotAuthorizedException">No usable token: authorize again at /zoom/login.</exception>
    /// <exception cref="ZoomOAuthException">Zoom refused or did not answer a refresh; the tokens are kept.</exception>
    Task<string> GetAccessTokenAsync(string accountId, CancellationToken cancellationToken = default);
}
