using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Authorities;

/// <summary>One state's working calendar for one year as an authority works on it, with its sources.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.CalendarView")]
public sealed record CalendarView
{
    [Id(0)] public required string State { get; init; }
    [Id(1)] public required int Year { get; init; }
    [Id(2)] public required ImmutableArray<string> Weekend { get; init; }
    [Id(3)] public required ImmutableArray<CalendarDayView> Holidays { get; init; }
    [Id(4)] public required ImmutableArray<CalendarDayView> WorkingDays { get; init; }
    [Id(5)] public required string Source { get; init; }
    /// <summary>True for an official year (<see cref="Status"/> "official"); kept beside it for existing clients.</summary>
    [Id(6)] public required bool Complete { get; init; }
    [Id(7)] public string? Note { get; init; }

    /// <summary>Days the state declared closed at run time, beside the published holidays.</summary>
    [Id(8)] public ImmutableArray<ClosureView> Closures { get; init; } = [];

    /// <summary>The authority's own weekly rest days, where they differ from its state's (with their source).</summary>
    [Id(9)] public ImmutableArray<string>? AuthorityWeekend { get; init; }
    [Id(10)] public string? AuthorityWeekendSource { get; init; }

    /// <summary>"official" (the year's decree or notice, named in <see cref="Source"/>) or "provisional" (computed from the law's rules ahead of it).</summary>
    [Id(11)] public string Status { get; init; } = "provisional";

    /// <summary>For a provisional year, what is awaited or unconfirmed.</summary>
    [Id(12)] public string? Pending { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.CalendarDayView")]
public sealed record CalendarDayView([property: Id(0)] DateOnly Date, [property: Id(1)] string Name)
{
    /// <summary>The date was computed (a lunar date before the state announced it) and may move by a day or so.</summary>
    [Id(2)] public bool Estimated { get; init; }

    /// <summary>The day's own source where it differs from the year's.</summary>
    [Id(3)] public string? Source { get; init; }
}
