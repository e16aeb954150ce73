namespace ZoomWebhooks.Tests.Support;

/// <summary>Polls a condition of background work with a bounded deadline, instead of sleeping.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(because is null ? "" : ": " + because)}. Last value: {value}");
            }

            using var pause = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            await pause.WaitForNextTickAsync();
        }
    }
}
