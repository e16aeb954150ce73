namespace ZoomWebhooks.OAuth;

/// <summary>
/// One user's tokens, decrypted. <paramref name="Environment"/> is the credential set that issued
/// them: a refresh must use the same client id and secret, whichever set is active by then.
/// </summary>
internal sealed record StoredToken(
    string AccountId,
    string UserId,
    string Environment,
    string AccessToken,
    string RefreshToken,
    DateTimeOffset ExpiresAt,
    string? Scope,
    string? ApiUrl,
    DateTimeOffset AuthorizedAt)
{
    /// <summary>Never the tokens: a record's generated text would print them into any log or assertion message.</summary>
    public override string ToString() =>
        $"StoredToken {{ AccountId = {AccountId}, UserId = {UserId}, Environment = {Environment}, ExpiresAt = {ExpiresAt:O} }}";
}
