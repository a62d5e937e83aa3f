namespace MutualAssistance.Contracts.Authorities;

/// <summary>A central authority of the directory.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.AuthorityView")]
public sealed record AuthorityView
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required string State { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public required string TimeZone { get; init; }
    [Id(4)] public required string Kind { get; init; }
    [Id(5)] public string? Note { get; init; }

    /// <summary>What makes the authority competent (the instrument or official notice).</summary>
    [Id(6)] public string? Source { get; init; }

    /// <summary>The region of its seat (authorities.json location.region), which regional closures name; null when not known.</summary>
    [Id(7)] public string? Region { get; init; }

    /// <summary>The city of its seat; null when not known.</summary>
    [Id(8)] public string? City { get; init; }

    /// <summary>The languages it works in (ISO 639-1); empty when not recorded.</summary>
    [Id(9)] public System.Collections.Immutable.ImmutableArray<string> Languages { get; init; } = [];

    /// <summary>The instruments of the catalogue under which its state designated it (central or competent authority), by code.</summary>
    [Id(10)] public System.Collections.Immutable.ImmutableArray<string> DesignatedUnder { get; init; } = [];
}
