using MutualAssistance.Domain.Calendars;
using NodaTime;

namespace MutualAssistance.Domain.Authorities;

/// <summary>A central authority: code (state + acronym, e.g. CN-MOJ), its state, name and the zone of its seat.</summary>
public sealed record Authority
{
    public required string Code { get; init; }
    public required string State { get; init; }
    public required string Name { get; init; }
    public required DateTimeZone TimeZone { get; init; }
    public required string Kind { get; init; }
    public string? Note { get; init; }

    /// <summary>What makes it competent: the instrument or official notice.</summary>
    public string? Source { get; init; }

    /// <summary>Weekly rest days of its own, replacing its state's; null when it keeps its state's.</summary>
    public WeekendOverride? Weekend { get; init; }
}
