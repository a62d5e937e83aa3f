namespace MutualAssistance.Contracts.Authorities;

/// <summary>A due time to describe on the responsible authority's calendar.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.DueQuery")]
public sealed record DueQuery([property: Id(0)] string ResponsibleAuthority, [property: Id(1)] DateTimeOffset DueAt);

/// <summary>
/// A due time on the responsible calendar: in its zone, and how many working days remain before it (after today,
/// up to its last day) or have passed since (after its last day, up to today).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.DeadlineTiming")]
public sealed record DeadlineTiming
{
    [Id(0)] public required DateTimeOffset DueLocal { get; init; }
    [Id(1)] public required string TimeZone { get; init; }
    [Id(2)] public required bool Overdue { get; init; }
    [Id(3)] public required int WorkingDays { get; init; }
    [Id(4)] public required double Hours { get; init; }
}
