using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using ZoomWebhooks.Inbox;

namespace ZoomWebhooks.WebSockets;

/// <summary>
/// One connection per subscription across receivers. On PostgreSQL a receiver connects only while
/// it holds a session advisory lock keyed by the subscription id, on a connection of the process's
/// pool kept for as long as it holds it. When the holder dies its connection closes, PostgreSQL
/// releases the lock, and a standby, trying every <c>Zoom:WebSocket:LeaseInterval</c>, takes over.
/// The holder checks its connection at the same interval and gives the subscription up when it
/// breaks (another receiver may hold the lock by then). On SQLite there is one receiver: always held.
/// https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
/// </summary>
internal sealed partial class SubscriptionLease(
    InboxDatabase database,
    IServiceProvider services,
    IOptionsMonitor<ZoomOptions> options,
    TimeProvider time,
    ILogger<SubscriptionLease> logger)
{
    // The two-key form with a class of its own: the inbox's per-key locks (PostgresSchema.KeyLock)
    // use 0x5A6F6F6D ("Zoom" in ASCII) with a hash of the ordering key, and a hash equal to this
    // subscription's key would have made every accept of that key wait for the lease's holder.
    public const int LockClass = 0x5A6F6F6E;

    /// <summary>Returns once this receiver holds the subscription; <see cref="Held.Lost"/> completes if it stops holding it.</summary>
    public async Task<Held> AcquireAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return new Held(null, Task.Delay(Timeout.Infinite, cancellationToken), null);
        }

        var dataSource = services.GetRequiredKeyedService<NpgsqlDataSource>(InboxSetup.DataSourceKey);
        var key = Key(subscriptionId);
        var standingBy = false;
        while (true)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await dataSource.OpenConnectionAsync(cancellationToken);
                if (await TryLockAsync(connection, key, cancellationToken))
                {
                    Log.LeaseTaken(logger, subscriptionId);
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    return new Held(connection, WatchAsync(connection, stop.Token), stop);
                }

                if (!standingBy)
                {
                    Log.StandingBy(logger, subscriptionId);
                    standingBy = true;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.LeaseUnavailable(logger, ex.GetType().Name);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            await Task.Delay(options.CurrentValue.WebSocket.LeaseInterval, time, cancellationToken);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, int key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockClass}, {key});", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Completes when the lock's connection stops answering; cancelled on release.</summary>
    private async Task WatchAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var interval = options.CurrentValue.WebSocket.LeaseInterval;
            await Task.Delay(interval, time, cancellationToken);
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(interval * 2 + TimeSpan.FromSeconds(1));
                await using var ping = new NpgsqlCommand("SELECT 1;", connection);
                await ping.ExecuteScalarAsync(deadline.Token);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.LeaseLost(logger, ex.GetType().Name);
                return;
            }
        }
    }

    /// <summary>A stable 32-bit key from the subscription id, the same in every receiver.</summary>
    internal static int Key(string subscriptionId) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes("zoomwebhooks.websocket:" + subscriptionId)), 0);

    /// <summary>The held lease. Disposing it unlocks and gives the connection back.</summary>
    internal sealed class Held(NpgsqlConnection? connection, Task lost, CancellationTokenSource? stop) : IAsyncDisposable
    {
        public Task Lost { get; } = lost;

        public async ValueTask DisposeAsync()
        {
            if (stop is not null)
            {
                await stop.CancelAsync();
                stop.Dispose();
            }

            if (connection is null)
            {
                return;
            }

            try
            {
                // The watch's ping must be done before the connection takes another command.
                await Lost;
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the release.
            }

            var unlocked = false;
            try
            {
                // Back in the pool, the session would keep the lock: release it first.
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all();", connection);
                await unlock.ExecuteNonQueryAsync(deadline.Token);
                unlocked = true;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or OperationCanceledException)
            {
                // Broken: the server released the lock with the session.
            }

            await connection.DisposeAsync();
            if (!unlocked)
            {
                // A connection that might still hold the lock must not wait idle in the pool.
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "This receiver holds the WebSocket subscription {SubscriptionId}'s lease; connecting")]
        public static partial void LeaseTaken(ILogger logger, string subscriptionId);

        [LoggerMessage(Level = LogLevel.Information,
            Message = "Another receiver holds the WebSocket subscription {SubscriptionId}; standing by to take over if it stops")]
        public static partial void StandingBy(ILogger logger, string subscriptionId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try the WebSocket subscription's lease ({ErrorType}); trying again")]
        public static partial void LeaseUnavailable(ILogger logger, string errorType);

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The WebSocket subscription's lease connection failed ({ErrorType}); closing the socket, another receiver may hold the subscription now")]
        public static partial void LeaseLost(ILogger logger, string errorType);
    }
}
