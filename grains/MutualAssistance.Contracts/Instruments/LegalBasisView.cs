namespace MutualAssistance.Contracts.Instruments;

/// <summary>A basis a filing may name (<see cref="Code"/>, the value of <c>legalBasis</c>), of the instrument <see cref="Instrument"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.LegalBasisView")]
public sealed record LegalBasisView
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public required string Article { get; init; }
    [Id(3)] public required string Instrument { get; init; }
    [Id(4)] public required string InstrumentShortTitle { get; init; }
}
