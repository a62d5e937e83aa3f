namespace MutualAssistance.Contracts.Instruments;

/// <summary>Where a line of the catalogue comes from; <see cref="Confidence"/> is <c>checked</c> (read in the source on <see cref="Checked"/>) or <c>lead</c> (to be confirmed).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.SourceView")]
public sealed record SourceView
{
    [Id(0)] public required string Citation { get; init; }
    [Id(1)] public string? Url { get; init; }
    [Id(2)] public DateOnly? Checked { get; init; }
    [Id(3)] public required string Confidence { get; init; }
}
