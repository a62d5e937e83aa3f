using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Federation;

/// <summary>
/// The exchange's limits and timings (section <c>Exchange</c>; all required, the shipped values in appsettings.json).
/// <see cref="PermitsPerSecond"/> and <see cref="Burst"/> limit each sending node once its signature is verified;
/// <see cref="UnverifiedPermitsPerSecond"/> and <see cref="UnverifiedBurst"/> each source address before that.
/// <see cref="DegradedAfter"/>: how long events or a command may wait for a peer before <c>/health/exchange</c> turns
/// Degraded and names it.
/// </summary>
public sealed class ExchangeOptions
{
    public const string Section = "Exchange";

    [Required] public int MaxMessageBytes { get; set; }

    [Required] public int PermitsPerSecond { get; set; }

    [Required] public int Burst { get; set; }

    [Required] public int UnverifiedPermitsPerSecond { get; set; }

    [Required] public int UnverifiedBurst { get; set; }

    [Required] public TimeSpan PollInterval { get; set; }

    [Required] public TimeSpan FirstRetry { get; set; }

    [Required] public TimeSpan MaxBackoff { get; set; }

    [Required] public TimeSpan SendTimeout { get; set; }

    [Required] public TimeSpan CommandWait { get; set; }

    [Required] public int Parallelism { get; set; }

    [Required] public TimeSpan DegradedAfter { get; set; }

    /// <summary>How long to wait before attempt <paramref name="attempts"/>+1: doubling from <see cref="FirstRetry"/>, at most <see cref="MaxBackoff"/>, with jitter. Never given up.</summary>
    public TimeSpan Backoff(int attempts) => new RetryBackoff(FirstRetry, MaxBackoff).After(attempts + 1, jitter: true);

    /// <summary>Every count and every span must be positive.</summary>
    public static IEnumerable<string> Problems(ExchangeOptions options)
    {
        (string Name, int Value)[] counts =
        [
            (nameof(MaxMessageBytes), options.MaxMessageBytes), (nameof(PermitsPerSecond), options.PermitsPerSecond), (nameof(Burst), options.Burst),
            (nameof(UnverifiedPermitsPerSecond), options.UnverifiedPermitsPerSecond), (nameof(UnverifiedBurst), options.UnverifiedBurst),
            (nameof(Parallelism), options.Parallelism),
        ];
        (string Name, TimeSpan Value)[] spans =
        [
            (nameof(PollInterval), options.PollInterval), (nameof(FirstRetry), options.FirstRetry), (nameof(MaxBackoff), options.MaxBackoff),
            (nameof(SendTimeout), options.SendTimeout), (nameof(CommandWait), options.CommandWait), (nameof(DegradedAfter), options.DegradedAfter),
        ];
        return counts.Where(c => c.Value <= 0).Select(c => $"Setting '{Section}:{c.Name}' must be a positive whole number, not '{c.Value}'.")
            .Concat(spans.Where(s => s.Value <= TimeSpan.Zero).Select(s => $"Setting '{Section}:{s.Name}' must be a positive time span (hh:mm:ss), not '{s.Value}'."));
    }

    /// <summary>
    /// Bound and validated at start (<see cref="RequiredOptions"/>); the exchange's services take the validated value
    /// itself, as they did when it was read by hand.
    /// </summary>
    public static IServiceCollection AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<ExchangeOptions>(configuration, Section, Problems);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<ExchangeOptions>>().Value);
        return services;
    }
}
