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

    /// <summary>Where its offices are (authorities.json <c>location</c>, optional): a closure declared for a region closes only the authorities located there.</summary>
    public AuthorityLocation? Location { get; init; }

    /// <summary>The languages it works in (ISO 639-1), as authorities.json gives them; empty when not recorded.</summary>
    public System.Collections.Immutable.ImmutableArray<string> Languages { get; init; } = [];
}

/// <summary>The region (province, oblast, state) and city of an authority's seat, as the state names them.</summary>
public sealed record AuthorityLocation(string? Region, string? City);
