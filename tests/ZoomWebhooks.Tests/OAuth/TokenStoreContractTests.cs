using Microsoft.AspNetCore.DataProtection;
using ZoomWebhooks.OAuth;
using ZoomWebhooks.Tests.Support;

namespace ZoomWebhooks.Tests.OAuth;

/// <summary>
/// What the token store promises on every provider (subclasses in TokenStoreProviders.cs): the
/// inbox's migrations create its table, one row per account and user, the tokens unreadable in
/// the database, and deletes by user or by account.
/// </summary>
public abstract class TokenStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_796_029_355_000);

    protected IDataProtectionProvider Protection { get; } = new EphemeralDataProtectionProvider();

    protected MigratedDatabase Database { get; private set; } = null!;

    private protected TokenStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await CreateDatabaseAsync();
        Store = OpenStore();
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected abstract Task<MigratedDatabase> CreateDatabaseAsync();

    /// <summary>A store on a database object of its own (on PostgreSQL its own pool), as another receiver has.</summary>
    private protected TokenStore OpenStore(IDataProtectionProvider? protection = null) => new(Database.Open(), protection ?? Protection);

    internal static StoredToken Token(string account, string user, DateTimeOffset? authorizedAt = null) =>
        new(account, user, "Development", $"at-{account}-{user}-{Guid.NewGuid():N}", $"rt-{account}-{user}-{Guid.NewGuid():N}",
            Now.AddHours(1), "meeting:read", "https://api.zoom.us", authorizedAt ?? Now);

    [Fact]
    public async Task A_saved_token_reads_back_whole_and_a_new_authorization_replaces_it()
    {
        var first = Token("a1", "u1");
        await Store.SaveAsync(first, CancellationToken.None);
        (await Store.FindAsync("a1", "u1", CancellationToken.None)).Should().BeEquivalentTo(first);

        var second = Token("a1", "u1") with { Environment = "Production", Scope = null };
        await Store.SaveAsync(second, CancellationToken.None);

        (await Store.FindAsync("a1", "u1", CancellationToken.None)).Should().BeEquivalentTo(second);
    }

    [Fact]
    public async Task The_account_s_token_is_its_most_recently_authorized_user_s()
    {
        await Store.SaveAsync(Token("a1", "early", Now), CancellationToken.None);
        await Store.SaveAsync(Token("a1", "late", Now.AddMinutes(5)), CancellationToken.None);
        await Store.SaveAsync(Token("a2", "other", Now.AddMinutes(9)), CancellationToken.None);

        (await Store.LatestAsync("a1", CancellationToken.None))!.UserId.Should().Be("late");
        (await Store.LatestAsync("none", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Tokens_are_stored_encrypted()
    {
        var token = Token("a1", "u1");
        await Store.SaveAsync(token, CancellationToken.None);

        var raw = (string)(await Database.ScalarAsync("SELECT access_token || ' ' || refresh_token FROM zoom_tokens;"))!;

        raw.Should().NotContain(token.AccessToken).And.NotContain(token.RefreshToken).And.NotContain("at-").And.NotContain("rt-");
    }

    [Fact]
    public async Task Deletes_take_one_user_or_the_whole_account()
    {
        await Store.SaveAsync(Token("a1", "u1"), CancellationToken.None);
        await Store.SaveAsync(Token("a1", "u2"), CancellationToken.None);
        await Store.SaveAsync(Token("a1", "u3"), CancellationToken.None);
        await Store.SaveAsync(Token("a2", "u1"), CancellationToken.None);

        (await Store.DeleteAsync("a1", "u1", CancellationToken.None)).Should().Be(1);
        (await Store.DeleteAsync("a1", null, CancellationToken.None)).Should().Be(2);

        (await Store.LatestAsync("a1", CancellationToken.None)).Should().BeNull();
        (await Store.FindAsync("a2", "u1", CancellationToken.None)).Should().NotBeNull();
    }

    [Fact]
    public async Task An_update_stores_the_change_keeps_the_row_when_there_is_none_and_finds_nothing_for_a_deleted_row()
    {
        var token = Token("a1", "u1");
        await Store.SaveAsync(token, CancellationToken.None);

        var kept = await Store.UpdateAsync("a1", "u1", _ => Task.FromResult<StoredToken?>(null), CancellationToken.None);
        var changed = await Store.UpdateAsync("a1", "u1", row => Task.FromResult<StoredToken?>(row with { AccessToken = "new" }), CancellationToken.None);
        var gone = await Store.UpdateAsync("a1", "nobody", row => Task.FromResult<StoredToken?>(row), CancellationToken.None);

        kept.Should().BeEquivalentTo(token);
        changed!.AccessToken.Should().Be("new");
        (await Store.FindAsync("a1", "u1", CancellationToken.None))!.AccessToken.Should().Be("new");
        gone.Should().BeNull();
    }

    [Fact]
    public async Task Another_key_ring_cannot_read_the_tokens()
    {
        await Store.SaveAsync(Token("a1", "u1"), CancellationToken.None);
        var stranger = OpenStore(new EphemeralDataProtectionProvider());

        await FluentActions.Awaiting(() => stranger.FindAsync("a1", "u1", CancellationToken.None))
            .Should().ThrowAsync<System.Security.Cryptography.CryptographicException>();
    }

    [Fact]
    public async Task A_login_state_is_used_once_also_through_another_receiver()
    {
        var login = LoginState.Create("Development", Now);
        var other = OpenStore();

        (await Store.TryUseLoginStateAsync(login, Now, CancellationToken.None)).Should().BeTrue();
        (await other.TryUseLoginStateAsync(login, Now.AddMinutes(1), CancellationToken.None)).Should().BeFalse();
        (await Store.TryUseLoginStateAsync(login, Now.AddMinutes(2), CancellationToken.None)).Should().BeFalse();
        (await other.TryUseLoginStateAsync(LoginState.Create("Development", Now), Now, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Of_simultaneous_uses_of_one_state_exactly_one_goes_through()
    {
        var login = LoginState.Create("Production", Now);
        var other = OpenStore();

        var uses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Store : other).TryUseLoginStateAsync(login, Now, CancellationToken.None))));

        uses.Count(used => used).Should().Be(1);
    }

    [Fact]
    public async Task A_used_state_is_kept_as_a_hash_and_forgotten_once_its_login_has_expired()
    {
        var early = LoginState.Create("Development", Now);
        var late = LoginState.Create("Development", Now.AddMinutes(20));
        await Store.TryUseLoginStateAsync(early, Now, CancellationToken.None);
        (await Database.ScalarAsync("SELECT state_hash FROM zoom_oauth_used_states;")).Should().NotBe(early.State).And.NotBeNull();

        // Its cookie is refused after 10 minutes; the row stays a while longer for clock differences.
        await Store.TryUseLoginStateAsync(LoginState.Create("Development", Now), Now.AddMinutes(14), CancellationToken.None);
        Convert.ToInt64(await Database.ScalarAsync("SELECT count(*) FROM zoom_oauth_used_states;"), null).Should().Be(2);
        await Store.TryUseLoginStateAsync(late, Now.AddMinutes(20), CancellationToken.None);

        Convert.ToInt64(await Database.ScalarAsync("SELECT count(*) FROM zoom_oauth_used_states;"), null).Should().Be(1);
    }
}
