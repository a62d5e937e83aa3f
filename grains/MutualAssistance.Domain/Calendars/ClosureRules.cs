using System.Collections.Immutable;
using System.Globalization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>
/// Who may change a state's calendar, and what a declared closure must say. A state's calendar is its own: only an
/// administrator of an authority of that state changes it. A closure may be declared up to a year back (an office
/// closed yesterday by a storm still moves the clocks that ran over it) and up to two years ahead.
/// </summary>
public static class ClosureRules
{
    public const int MaxReason = 500;
    public const int DaysBack = 366;
    public const int DaysAhead = 731;
    public const int MaxRegion = 100;

    /// <summary>Why <paramref name="actor"/> may not change <paramref name="state"/>'s calendar, or null when it may.</summary>
    public static string? Refusal(string state, Actor actor, ReferenceDataSet data)
    {
        if (actor.Role != Role.Admin)
        {
            return "Only an administrator (role admin) changes a state's calendar.";
        }

        return data.Authorities.Find(actor.Authority)?.State == state
            ? null
            : $"A state's calendar is changed only by administrators of that state's authorities; {actor.Authority} is not of {state}.";
    }

    /// <summary>What is wrong with a closure on <paramref name="date"/> for <paramref name="reason"/>, by field.</summary>
    public static ImmutableDictionary<string, FieldMessage> Check(LocalDate date, string? reason, bool declaring, DateTimeOffset now) =>
        Check(date, reason, declaring, now, state: null, region: null, data: null);

    /// <summary>
    /// As <see cref="Check(LocalDate, string?, bool, DateTimeOffset)"/>, and a closure naming a region must name one where an
    /// authority of <paramref name="state"/> is located (authorities.json location.region), else it would close nothing.
    /// </summary>
    public static ImmutableDictionary<string, FieldMessage> Check(LocalDate date, string? reason, bool declaring, DateTimeOffset now, string? state, string? region, ReferenceDataSet? data)
    {
        var errors = ImmutableDictionary.CreateBuilder<string, FieldMessage>();
        var today = LocalDate.FromDateTime(now.UtcDateTime);
        if (date < today.PlusDays(-DaysBack) || date > today.PlusDays(DaysAhead))
        {
            errors["date"] = FieldMessages.ClosureDay(today.PlusDays(-DaysBack).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), today.PlusDays(DaysAhead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (region is not null && data is not null)
        {
            var regions = data.Authorities.All.Where(a => a.State == state && a.Location?.Region is not null).Select(a => a.Location!.Region!).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
            if (region.Length > MaxRegion || !regions.Contains(region, StringComparer.OrdinalIgnoreCase))
            {
                errors["region"] = FieldMessages.UnknownRegion(region.Length > MaxRegion ? region[..MaxRegion] : region, regions.Count == 0 ? "-" : string.Join(", ", regions));
            }
        }

        if (declaring)
        {
            FilingRules.Text(reason, "reason", MaxReason, required: true, (field, message) => errors[field] = message);
        }

        return errors.ToImmutable();
    }
}
