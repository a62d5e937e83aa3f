namespace MutualAssistance.Contracts.Instruments;

/// <summary>A state that signed an instrument without being bound by it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.SignatoryView")]
public sealed record SignatoryView
{
    [Id(0)] public required string State { get; init; }
    [Id(1)] public DateOnly? SignedOn { get; init; }
    [Id(2)] public required SourceView Source { get; init; }
}
