using System.Globalization;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Notifications;

/// <summary>
/// Section <c>Notifications:Webhooks</c>, all required: how often the notifier looks for events and deliveries due
/// (<c>PollInterval</c>), how long a receiver has to answer (<c>Timeout</c>), the longest wait between two attempts
/// (<c>MaxBackoff</c>; the first retry waits <c>FirstRetry</c>, each next one twice as long; a delivery is never given
/// up), and whether subscriptions must be HTTPS (<c>RequireHttps</c>: true in production).
/// </summary>
public sealed record WebhookOptions(TimeSpan PollInterval, TimeSpan Timeout, TimeSpan FirstRetry, TimeSpan MaxBackoff, bool RequireHttps)
{
    public const string Section = "Notifications:Webhooks";

    /// <summary>How many events are fanned out, and deliveries sent, per round.</summary>
    public const int BatchSize = 200;

    public static WebhookOptions Read(IConfiguration configuration) => new(
        Span(configuration, "PollInterval"), Span(configuration, "Timeout"), Span(configuration, "FirstRetry"), Span(configuration, "MaxBackoff"),
        bool.Parse(configuration.GetRequired($"{Section}:RequireHttps")));

    /// <summary>When to try again after <paramref name="attempts"/> failed attempts.</summary>
    public TimeSpan Backoff(int attempts) => new RetryBackoff(FirstRetry, MaxBackoff).After(attempts);

    private static TimeSpan Span(IConfiguration configuration, string name)
    {
        var key = $"{Section}:{name}";
        var text = configuration.GetRequired(key);
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"Setting '{key}' is '{text}', not a positive time span (e.g. 00:00:05).");
    }
}
