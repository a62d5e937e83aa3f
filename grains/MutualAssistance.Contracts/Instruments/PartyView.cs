using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Instruments;

/// <summary>A state bound by an instrument from <see cref="Since"/> (and until <see cref="Until"/>, exclusive, after a denunciation).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.PartyView")]
public sealed record PartyView
{
    [Id(0)] public required string State { get; init; }
    [Id(1)] public required DateOnly Since { get; init; }
    [Id(2)] public DateOnly? Until { get; init; }
    [Id(3)] public required ImmutableArray<string> Languages { get; init; }
    [Id(4)] public string? Declarations { get; init; }
    [Id(5)] public required SourceView Source { get; init; }
}
