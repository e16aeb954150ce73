using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using ZoomWebhooks.Inbox;
using ZoomWebhooks.Inbox.Sqlite;
using static ZoomWebhooks.Inbox.Db;

namespace ZoomWebhooks.OAuth;

/// <summary>
/// OAuth tokens in the inbox's database, one row per Zoom account and user, the two tokens
/// encrypted with ASP.NET Core Data Protection: a copy of the database (a backup, a dump) holds
/// no usable token without the key ring. One class for both providers, as <c>MeetingStore</c>.
/// </summary>
internal sealed class TokenStore
{
    /// <summary>Data Protection purpose: a different one (or a different application name) cannot read these.</summary>
    public const string Purpose = "ZoomWebhooks.OAuth.Tokens.v1";

    private readonly InboxDatabase _database;
    private readonly IDataProtector _protector;

    public TokenStore(InboxDatabase database, [FromKeyedServices(OAuthEndpoints.ProtectionKey)] IDataProtectionProvider protection)
    {
        _database = database;
        _protector = protection.CreateProtector(Purpose);
    }

    public Task SaveAsync(StoredToken token, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(TokenSql.Save, Parameters(token), cancellationToken);

    /// <summary>The account's most recently authorized user's tokens, or null.</summary>
    public async Task<StoredToken?> LatestAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, TokenSql.Latest, [new("account_id", accountId)], cancellationToken);
    }

    public async Task<StoredToken?> FindAsync(string accountId, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, TokenSql.One + ";", [new("account_id", accountId), new("user_id", userId)], cancellationToken);
    }

    /// <summary>
    /// Reads one user's row, lets <paramref name="change"/> decide on it (null: keep it) and stores
    /// the change. On PostgreSQL the row is locked (<c>FOR UPDATE</c>) until the change is stored,
    /// so receivers sharing the database refresh one at a time, and each one after the first reads
    /// the rotated refresh token instead of spending the old one again. SQLite is one process by
    /// design, where the caller's per-account lock is enough. Returns the row as it now is, or
    /// null when it is gone (deauthorized meanwhile).
    /// </summary>
    public async Task<StoredToken?> UpdateAsync(
        string accountId, string userId, Func<StoredToken, Task<StoredToken?>> change, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, object?>> key = [new("account_id", accountId), new("user_id", userId)];
        if (!_database.IsPostgres)
        {
            var row = await FindAsync(accountId, userId, cancellationToken);
            var next = row is null ? null : await change(row);
            if (next is not null)
            {
                await SaveAsync(next, cancellationToken);
            }

            return next ?? row;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadAsync(connection, TokenSql.One + " FOR UPDATE;", key, cancellationToken);
        var changed = current is null ? null : await change(current);
        if (changed is not null)
        {
            await InboxDatabase.ExecuteAsync(connection, TokenSql.Save, Parameters(changed), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return changed ?? current;
    }

    /// <summary>Deletes one user's tokens, or every user's of the account when <paramref name="userId"/> is null.</summary>
    public Task<int> DeleteAsync(string accountId, string? userId, CancellationToken cancellationToken) =>
        _database.ExecuteAsync(TokenSql.Delete, [new("account_id", accountId), new("user_id", userId)], cancellationToken);

    /// <summary>
    /// Marks a login's state as used: true the first time, false ever after, also when another
    /// receiver sharing the database used it (one insert-if-absent, atomic on both providers).
    /// Only a hash is kept, until the login cookie could no longer be accepted anyway; rows past
    /// that are deleted here, so the table holds at most the last quarter of an hour's logins.
    /// </summary>
    internal async Task<bool> TryUseLoginStateAsync(LoginState login, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _database.ExecuteAsync(TokenSql.ForgetExpiredStates, [new("now", now.ToUnixTimeMilliseconds())], cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(login.State)));
        // Kept past the cookie's lifetime by a margin for receivers whose clocks differ.
        var expiresAt = login.IssuedAt + LoginCookie.Lifetime + TimeSpan.FromMinutes(5);
        var inserted = await _database.ExecuteAsync(TokenSql.UseState,
            [new("state_hash", hash), new("expires_at", expiresAt.ToUnixTimeMilliseconds())], cancellationToken);
        return inserted == 1;
    }

    private List<KeyValuePair<string, object?>> Parameters(StoredToken token) =>
    [
        new("account_id", token.AccountId),
        new("user_id", token.UserId),
        new("environment", token.Environment),
        new("access_token", _protector.Protect(token.AccessToken)),
        new("refresh_token", _protector.Protect(token.RefreshToken)),
        new("expires_at", token.ExpiresAt.ToUnixTimeMilliseconds()),
        new("scope", token.Scope),
        new("api_url", token.ApiUrl),
        new("authorized_at", token.AuthorizedAt.ToUnixTimeMilliseconds()),
    ];

    /// <exception cref="System.Security.Cryptography.CryptographicException">The key ring that encrypted the row is not this one.</exception>
    private async Task<StoredToken?> ReadAsync(
        DbConnection connection, string sql, List<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = InboxDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredToken(
            reader.GetString(0), reader.GetString(1), reader.GetString(2),
            _protector.Unprotect(reader.GetString(3)), _protector.Unprotect(reader.GetString(4)),
            FromMs(reader.GetInt64(5)), NullableString(reader, 6), NullableString(reader, 7), FromMs(reader.GetInt64(8)));
    }
}
