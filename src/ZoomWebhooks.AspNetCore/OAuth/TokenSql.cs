namespace ZoomWebhooks.OAuth;

/// <summary>
/// Statements on <c>zoom_tokens</c> and <c>zoom_oauth_used_states</c> that SQLite and PostgreSQL
/// both run as written. The tables are created by the inbox's migrations (tokens: SQLite 4,
/// PostgreSQL 3; used states: SQLite 6, PostgreSQL 4), so they live and go with the service's
/// other data.
/// </summary>
internal static class TokenSql
{
    private const string Columns = "account_id, user_id, environment, access_token, refresh_token, expires_at, scope, api_url, authorized_at";

    /// <summary>A new authorization of the same user replaces the old tokens: Zoom has just issued new ones.</summary>
    public const string Save = $"""
        INSERT INTO zoom_tokens ({Columns})
        VALUES (@account_id, @user_id, @environment, @access_token, @refresh_token, @expires_at, @scope, @api_url, @authorized_at)
        ON CONFLICT (account_id, user_id) DO UPDATE SET
            environment = excluded.environment, access_token = excluded.access_token, refresh_token = excluded.refresh_token,
            expires_at = excluded.expires_at, scope = excluded.scope, api_url = excluded.api_url, authorized_at = excluded.authorized_at;
        """;

    /// <summary>The account's most recently authorized user.</summary>
    public const string Latest = $"""
        SELECT {Columns} FROM zoom_tokens
        WHERE account_id = @account_id
        ORDER BY authorized_at DESC, user_id
        LIMIT 1;
        """;

    public const string One = $"SELECT {Columns} FROM zoom_tokens WHERE account_id = @account_id AND user_id = @user_id";

    /// <summary>One user's tokens, or with no user the whole account's (an account-level app removed).</summary>
    public const string Delete = """
        DELETE FROM zoom_tokens
        WHERE account_id = @account_id AND (CAST(@user_id AS TEXT) IS NULL OR user_id = @user_id);
        """;

    /// <summary>The first use of a login state adds its row (1 row changed); a second use finds it there (0).</summary>
    public const string UseState = """
        INSERT INTO zoom_oauth_used_states (state_hash, expires_at) VALUES (@state_hash, @expires_at)
        ON CONFLICT (state_hash) DO NOTHING;
        """;

    public const string ForgetExpiredStates = "DELETE FROM zoom_oauth_used_states WHERE expires_at < @now;";
}
