using System.ComponentModel.DataAnnotations;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Notifications;

/// <summary>
/// Section <c>Notifications:Webhooks</c>, all required: how often the notifier looks for events and deliveries due
/// (<c>PollInterval</c>), how long a receiver has to answer (<c>Timeout</c>), the longest wait between two attempts
/// (<c>MaxBackoff</c>; the first retry waits <c>FirstRetry</c>, each next one twice as long; a delivery is never given
/// up). The section's <c>RequireHttps</c> and <c>AllowedHosts</c> belong to the subscriptions' checks
/// (<see cref="MutualAssistance.Notifications.WebhookTarget"/>, <see cref="MutualAssistance.Notifications.WebhookHosts"/>).
/// Bound and validated at start (<see cref="RequiredOptions"/>).
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "Notifications:Webhooks";

    /// <summary>How many events are fanned out, and deliveries sent, per round.</summary>
    public const int BatchSize = 200;

    [Required] public TimeSpan PollInterval { get; set; }

    [Required] public TimeSpan Timeout { get; set; }

    [Required] public TimeSpan FirstRetry { get; set; }

    [Required] public TimeSpan MaxBackoff { get; set; }

    /// <summary>When to try again after <paramref name="attempts"/> failed attempts.</summary>
    public TimeSpan Backoff(int attempts) => new RetryBackoff(FirstRetry, MaxBackoff).After(attempts);

    /// <summary>Every span must be positive.</summary>
    public static IEnumerable<string> Problems(WebhookOptions options) =>
        new[] { (nameof(PollInterval), options.PollInterval), (nameof(Timeout), options.Timeout), (nameof(FirstRetry), options.FirstRetry), (nameof(MaxBackoff), options.MaxBackoff) }
            .Where(span => span.Item2 <= TimeSpan.Zero)
            .Select(span => $"Setting '{Section}:{span.Item1}' is '{span.Item2}', not a positive time span (e.g. 00:00:05).");
}
