using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ZoomWebhooks.Configuration;
using ZoomWebhooks.Events;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// Tokens kept per account and user. One refresh at a time per account: callers in this process
/// queue on a per-account semaphore and re-read the row after it, so only the first refreshes;
/// across receivers on PostgreSQL the store's row lock does the same (<see cref="TokenStore.UpdateAsync"/>).
/// Zoom rotates refresh tokens, so two refreshes with one token would lose the user's grant.
/// </summary>
internal sealed partial class ZoomTokens(
    TokenStore store, ZoomOAuthClient zoom, IOptionsMonitor<ZoomOptions> options, TimeProvider time, ILogger<ZoomTokens> logger) : IZoomTokens
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshing = new(StringComparer.Ordinal);

    public async Task<string> GetAccessTokenAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var token = await ReadAsync(() => store.LatestAsync(accountId, cancellationToken))
            ?? throw new ZoomNotAuthorizedException($"No Zoom authorization is stored for this account: authorize the app at {ZoomOAuthOptions.LoginPath}.");
        if (IsFresh(token))
        {
            return token.AccessToken;
        }

        var gate = _refreshing.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Not cancelled by the caller once started: Zoom spends the old refresh token when it
            // answers, so a refresh abandoned after that (a handler's timeout) would lose the new
            // one and with it the user's grant. The HTTP client's timeout still bounds it.
            var current = await ReadAsync(() => store.UpdateAsync(token.AccountId, token.UserId,
                row => IsFresh(row) ? Task.FromResult<StoredToken?>(null) : RefreshAsync(row, CancellationToken.None), CancellationToken.None));
            return current?.AccessToken
                ?? throw new ZoomNotAuthorizedException($"The Zoom authorization was removed meanwhile: authorize the app again at {ZoomOAuthOptions.LoginPath}.");
        }
        catch (ZoomOAuthException ex) when (IsDeadGrant(ex))
        {
            // Revoked, expired (unused for 90 days) or already spent: the grant is dead, keep nothing of it.
            var deleted = await store.DeleteAsync(token.AccountId, token.UserId, CancellationToken.None);
            Log.RefreshRefused(logger, token.Environment, deleted);
            throw new ZoomNotAuthorizedException(
                $"Zoom refused the stored refresh token ({ex.Error}: {ex.Reason}); the tokens were deleted. Authorize the app again at {ZoomOAuthOptions.LoginPath}.", ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Exchanges a callback's code and stores the tokens under the user and account they belong to.</summary>
    public async Task<StoredToken> AuthorizeAsync(
        string environment, ZoomEnvironmentOptions credentials, string code, string redirectUri, string codeVerifier, CancellationToken cancellationToken)
    {
        var grant = await zoom.ExchangeCodeAsync(credentials, code, redirectUri, codeVerifier, cancellationToken);
        var user = await zoom.GetMeAsync(grant, cancellationToken);
        var now = time.GetUtcNow();
        var token = new StoredToken(user.AccountId, user.Id, environment, grant.AccessToken, grant.RefreshToken,
            now.AddSeconds(grant.ExpiresIn), grant.Scope, grant.ApiUrl, now);
        await store.SaveAsync(token, cancellationToken);
        Log.Authorized(logger, environment, AccountRef.Of(user.AccountId), ScopeCount(grant.Scope));
        return token;
    }

    /// <summary>A short one-way hash: lets an operator match log lines of one account without the account id in them.</summary>
    private bool IsFresh(StoredToken token) => token.ExpiresAt - options.CurrentValue.OAuth.RefreshBefore > time.GetUtcNow();

    private async Task<StoredToken?> RefreshAsync(StoredToken token, CancellationToken cancellationToken)
    {
        // The set that issued the tokens refreshes them, even if another one is active by now.
        var credentials = options.CurrentValue.Find(token.Environment)
            ?? throw new ZoomNotAuthorizedException($"The tokens were issued to an unknown environment '{token.Environment}'.");
        var grant = await zoom.RefreshAsync(credentials, token.RefreshToken, cancellationToken);
        var now = time.GetUtcNow();
        Log.Refreshed(logger, token.Environment, AccountRef.Of(token.AccountId), grant.ExpiresIn);
        return token with
        {
            AccessToken = grant.AccessToken,
            RefreshToken = grant.RefreshToken,
            ExpiresAt = now.AddSeconds(grant.ExpiresIn),
            Scope = grant.Scope ?? token.Scope,
            ApiUrl = grant.ApiUrl ?? token.ApiUrl,
        };
    }

    private static async Task<StoredToken?> ReadAsync(Func<Task<StoredToken?>> read)
    {
        try
        {
            return await read();
        }
        catch (CryptographicException ex)
        {
            throw new ZoomNotAuthorizedException(
                "The stored tokens cannot be decrypted with this Data Protection key ring (DataProtection:KeysPath): every instance must share " +
                $"one key ring, and a lost ring means authorizing again at {ZoomOAuthOptions.LoginPath}.", ex);
        }
    }

    // Zoom's error table documents no code for a spent or revoked refresh token; besides OAuth's
    // invalid_grant, Zoom has been seen answering invalid_request "Invalid Token!" for one.
    // https://developers.zoom.us/docs/integrations/oauth-error-messages/
    private static bool IsDeadGrant(ZoomOAuthException ex) =>
        ex.Error == "invalid_grant" || (ex.Error == "invalid_request" && ex.Reason?.Contains("token", StringComparison.OrdinalIgnoreCase) == true);

    private static int ScopeCount(string? scope) => scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information,
            Message = "Zoom app authorized with the {ZoomEnvironment} credentials for account {AccountRef} ({ScopeCount} scopes)")]
        public static partial void Authorized(ILogger logger, string zoomEnvironment, string accountRef, int scopeCount);

        [LoggerMessage(Level = LogLevel.Information,
            Message = "Zoom access token of account {AccountRef} refreshed with the {ZoomEnvironment} credentials; valid {ExpiresIn} s")]
        public static partial void Refreshed(ILogger logger, string zoomEnvironment, string accountRef, int expiresIn);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Zoom refused a stored refresh token ({ZoomEnvironment} credentials); {Deleted} token row(s) deleted, the user must authorize again")]
        public static partial void RefreshRefused(ILogger logger, string zoomEnvironment, int deleted);
    }
}
