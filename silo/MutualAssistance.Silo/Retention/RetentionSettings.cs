using System.Globalization;
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
/// rules are required; a missing or malformed one stops start-up with its name.
/// </summary>
public sealed record RetentionSettings(RetentionPolicy Policy, TimeSpan SweepInterval, int BatchSize)
{
    public const string Section = "Retention";

    public static RetentionSettings Read(IConfiguration configuration)
    {
        var rules = configuration.GetSection($"{Section}:Rules").GetChildren().Select(rule =>
        {
            var name = $"{Section}:Rules:{rule.Key}";
            var basis = rule["LegalBasis"];
            LegalBasis? legalBasis = null;
            if (!string.IsNullOrWhiteSpace(basis))
            {
                legalBasis = WireNames.TryParse<LegalBasis>(basis, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"Setting '{name}:LegalBasis' is '{basis}', not one of {string.Join(", ", WireNames.All<LegalBasis>())}.");
            }

            var state = string.IsNullOrWhiteSpace(rule["State"]) ? null : rule["State"]!.Trim();
            return new RetentionRule(state, legalBasis, ParsePeriod(configuration, $"{name}:Period"));
        }).ToList();
        var interval = TimeSpan.Parse(configuration.GetRequired($"{Section}:SweepInterval"), CultureInfo.InvariantCulture);
        var batch = int.Parse(configuration.GetRequired($"{Section}:BatchSize"), CultureInfo.InvariantCulture);
        if (interval <= TimeSpan.Zero || batch <= 0)
        {
            throw new InvalidOperationException($"Settings '{Section}:SweepInterval' and '{Section}:BatchSize' must be positive.");
        }

        try
        {
            return new RetentionSettings(new RetentionPolicy(ParsePeriod(configuration, $"{Section}:Default"), rules), interval, batch);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Settings '{Section}:Rules': {e.Message}", e);
        }
    }

    private static Period ParsePeriod(IConfiguration configuration, string key)
    {
        var text = configuration.GetRequired(key);
        var parsed = PeriodPattern.NormalizingIso.Parse(text);
        return parsed.Success && parsed.Value.Normalize() is { } period && !period.Equals(Period.Zero) && IsPositive(period)
            ? parsed.Value
            : throw new InvalidOperationException($"Setting '{key}' is '{text}', not a positive ISO 8601 period (e.g. P5Y, P18M, P30D).");
    }

    private static bool IsPositive(Period period) =>
        period.Years >= 0 && period.Months >= 0 && period.Weeks >= 0 && period.Days >= 0 && period.Hours >= 0 && period.Minutes >= 0
        && period.Seconds >= 0 && period.Milliseconds >= 0 && period.Ticks >= 0 && period.Nanoseconds >= 0;
}
