namespace MutualAssistance.Contracts.Instruments;

/// <summary>One thing a request under an instrument must contain, with the article that requires it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.RequiredContentView")]
public sealed record RequiredContentView
{
    [Id(0)] public required string Item { get; init; }
    [Id(1)] public required string Source { get; init; }
}
