using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Instruments;

/// <summary>The authorities a party designated under an instrument, and under which article.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.DesignationView")]
public sealed record DesignationView
{
    [Id(0)] public required string State { get; init; }
    [Id(1)] public required ImmutableArray<string> Authorities { get; init; }
    [Id(2)] public required string Article { get; init; }
    [Id(3)] public required SourceView Source { get; init; }
}
