namespace MutualAssistance.Testing;

/// <summary>
/// Waiting for something another process or a read model will show: asks again every 50 ms until the answer is
/// there or the patience runs out (then fails, saying what was awaited). For eventual consistency, never a fixed sleep.
/// </summary>
public static class Poll
{
    public static async Task<T> Until<T>(Func<Task<T?>> read, TimeSpan patience, string what, CancellationToken cancellationToken = default) where T : class
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            if (await read() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within {patience}: {what}.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public static async Task<T> Until<T>(Func<Task<T?>> read, TimeSpan patience, string what, CancellationToken cancellationToken = default) where T : struct
    {
        var boxed = await Until<object>(async () => await read() is { } value ? value : null, patience, what, cancellationToken);
        return (T)boxed;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (a counter of a running load, say).</summary>
    public static Task Until(Func<bool> condition, TimeSpan patience, string what, CancellationToken cancellationToken = default) =>
        Until<object>(() => Task.FromResult(condition() ? new object() : null), patience, what, cancellationToken);
}
