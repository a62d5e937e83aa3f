using System.ComponentModel.DataAnnotations;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Retention;
using MutualAssistance.ServiceDefaults;
using NodaTime;
using NodaTime.Text;

namespace MutualAssistance.Silo.Retention;

/// <summary>
/// Section <c>Retention</c>: the default period (<c>Default</c>, ISO 8601, e.g. <c>P5Y</c>), the rules per state and
/// legal basis (<c>Rules:i:State</c>, <c>Rules:i:LegalBasis</c> by its wire name, <c>Rules:i:Period</c>; State or
/// LegalBasis may be left out to cover all), and the sweep's <c>SweepInterval</c> and <c>BatchSize</c>. All but the
/// rules are required; a missing or malformed one stops start-up with its name. Bound and validated at start
/// (<see cref="RequiredOptions"/>); the <see cref="RetentionPolicy"/> is built from it once (<see cref="Policy"/>).
/// </summary>
public sealed class RetentionSettings
{
    public const string Section = "Retention";

    [Required] public string Default { get; set; } = string.Empty;

    public List<RetentionRuleSetting> Rules { get; set; } = [];

    [Required] public TimeSpan SweepInterval { get; set; }

    [Required] public int BatchSize { get; set; }

    /// <summary>The policy the periods and rules describe; one that is not stops start-up naming its setting.</summary>
    public RetentionPolicy Policy(IReadOnlySet<string> legalBases)
    {
        var rules = Rules.Select((rule, i) =>
        {
            var name = $"{Section}:Rules:{i}";
            string? legalBasis = null;
            if (!string.IsNullOrWhiteSpace(rule.LegalBasis))
            {
                legalBasis = legalBases.Contains(rule.LegalBasis.Trim())
                    ? rule.LegalBasis.Trim()
                    : throw new InvalidOperationException($"Setting '{name}:LegalBasis' is '{rule.LegalBasis}', not a basis of the instrument catalogue: one of {string.Join(", ", legalBases.Order(StringComparer.Ordinal))}.");
            }

            var state = string.IsNullOrWhiteSpace(rule.State) ? null : rule.State.Trim();
            return new RetentionRule(state, legalBasis, ParsePeriod(rule.Period, $"{name}:Period"));
        }).ToList();

        try
        {
            return new RetentionPolicy(ParsePeriod(Default, $"{Section}:Default"), rules);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Settings '{Section}:Rules': {e.Message}", e);
        }
    }

    /// <summary>The sweep's pace must be positive, and the policy must build (it throws, naming the setting, when not).</summary>
    public static IEnumerable<string> Problems(RetentionSettings settings, IReadOnlySet<string> legalBases)
    {
        _ = settings.Policy(legalBases);
        return settings.SweepInterval <= TimeSpan.Zero || settings.BatchSize <= 0
            ? [$"Settings '{Section}:SweepInterval' and '{Section}:BatchSize' must be positive."]
            : [];
    }

    private static Period ParsePeriod(string text, string key)
    {
        var parsed = PeriodPattern.NormalizingIso.Parse(text);
        return parsed.Success && parsed.Value.Normalize() is { } period && !period.Equals(Period.Zero) && IsPositive(period)
            ? parsed.Value
            : throw new InvalidOperationException($"Setting '{key}' is '{text}', not a positive ISO 8601 period (e.g. P5Y, P18M, P30D).");
    }

    private static bool IsPositive(Period period) =>
        period.Years >= 0 && period.Months >= 0 && period.Weeks >= 0 && period.Days >= 0 && period.Hours >= 0 && period.Minutes >= 0
        && period.Seconds >= 0 && period.Milliseconds >= 0 && period.Ticks >= 0 && period.Nanoseconds >= 0;
}

/// <summary>One entry of <c>Retention:Rules</c>: the state and legal basis it covers (either left out: all) and its period.</summary>
public sealed class RetentionRuleSetting
{
    public string? State { get; set; }

    public string? LegalBasis { get; set; }

    [Required] public string Period { get; set; } = string.Empty;
}
