namespace ZoomWebhooks.OAuth;

/// <summary>App authorization's tables, in the one database; the inbox's schema runs them in its migration order.</summary>
internal static class TokenSchema
{
    /// <summary>Both providers' statement (SQLite migration 4, PostgreSQL migration 3): the tokens are Data Protection ciphertext, times ms since the epoch.</summary>
    public const string TokenTable = """
        CREATE TABLE zoom_tokens (
            account_id    TEXT   NOT NULL,
            user_id       TEXT   NOT NULL,
            environment   TEXT   NOT NULL,
            access_token  TEXT   NOT NULL,
            refresh_token TEXT   NOT NULL,
            expires_at    BIGINT NOT NULL,
            scope         TEXT,
            api_url       TEXT,
            authorized_at BIGINT NOT NULL,
            PRIMARY KEY (account_id, user_id)
        );
        """;

    /// <summary>Both providers' statement (SQLite migration 6, PostgreSQL migration 4): the SHA-256 of a used state, kept until it expires (ms since the epoch).</summary>
    public const string UsedStateTable = """
        CREATE TABLE zoom_oauth_used_states (
            state_hash TEXT   NOT NULL PRIMARY KEY,
            expires_at BIGINT NOT NULL
        );
        """;
}
