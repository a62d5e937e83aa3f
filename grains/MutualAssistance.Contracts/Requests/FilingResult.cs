namespace MutualAssistance.Contracts.Requests;

/// <summary>The outcome of filing, with the request stored under the id (absent only if nothing is).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.FilingResult")]
public sealed record FilingResult
{
    [Id(0)] public required FilingOutcome Outcome { get; init; }
    [Id(1)] public required AssistanceRequestView Request { get; init; }
}
