namespace MutualAssistance.ServiceDefaults;

/// <summary>
/// The one rule for retries that never give up (the exchange's sends, webhook deliveries): after the n-th failure in
/// a row, wait <see cref="First"/> × 2^(n−1), at most <see cref="Max"/>; with jitter, ±20 % of that, so that many
/// rows that failed together do not come back together.
/// </summary>
public readonly record struct RetryBackoff(TimeSpan First, TimeSpan Max)
{
    public TimeSpan After(int failures, bool jitter = false)
    {
        var wait = Math.Min(Max.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30)));
        return TimeSpan.FromMilliseconds(jitter ? wait * (0.8 + (Random.Shared.NextDouble() * 0.4)) : wait);
    }
}
