using System.Globalization;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Federation;

/// <summary>
/// The exchange's limits and timings (section <c>Exchange</c>; all required, the shipped values in appsettings.json).
/// <see cref="PermitsPerSecond"/> and <see cref="Burst"/> limit each sending node once its signature is verified;
/// <see cref="UnverifiedPermitsPerSecond"/> and <see cref="UnverifiedBurst"/> each source address before that.
/// <see cref="DegradedAfter"/>: how long events or a command may wait for a peer before <c>/health/exchange</c> turns
/// Degraded and names it.
/// </summary>
public sealed record ExchangeOptions(
    int MaxMessageBytes,
    int PermitsPerSecond,
    int Burst,
    int UnverifiedPermitsPerSecond,
    int UnverifiedBurst,
    TimeSpan PollInterval,
    TimeSpan FirstRetry,
    TimeSpan MaxBackoff,
    TimeSpan SendTimeout,
    TimeSpan CommandWait,
    int Parallelism,
    TimeSpan DegradedAfter)
{
    public static ExchangeOptions Read(IConfiguration configuration) => new(
        Int(configuration, "Exchange:MaxMessageBytes"),
        Int(configuration, "Exchange:PermitsPerSecond"),
        Int(configuration, "Exchange:Burst"),
        Int(configuration, "Exchange:UnverifiedPermitsPerSecond"),
        Int(configuration, "Exchange:UnverifiedBurst"),
        Span(configuration, "Exchange:PollInterval"),
        Span(configuration, "Exchange:FirstRetry"),
        Span(configuration, "Exchange:MaxBackoff"),
        Span(configuration, "Exchange:SendTimeout"),
        Span(configuration, "Exchange:CommandWait"),
        Int(configuration, "Exchange:Parallelism"),
        Span(configuration, "Exchange:DegradedAfter"));

    /// <summary>How long to wait before attempt <paramref name="attempts"/>+1: doubling from <see cref="FirstRetry"/>, at most <see cref="MaxBackoff"/>, with jitter. Never given up.</summary>
    public TimeSpan Backoff(int attempts) => new RetryBackoff(FirstRetry, MaxBackoff).After(attempts + 1, jitter: true);

    private static int Int(IConfiguration configuration, string key)
    {
        var text = configuration.GetRequired(key);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"Setting '{key}' must be a positive whole number, not '{text}'.");
    }

    private static TimeSpan Span(IConfiguration configuration, string key)
    {
        var text = configuration.GetRequired(key);
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"Setting '{key}' must be a positive time span (hh:mm:ss), not '{text}'.");
    }
}
