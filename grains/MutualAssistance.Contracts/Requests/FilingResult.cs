using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// The outcome of filing, with the request stored under the id (absent when the filing was refused), and, when
/// refused, what was wrong: <see cref="Errors"/> by field (camelCase JSON path) and a <see cref="Detail"/>.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.FilingResult")]
public sealed record FilingResult
{
    [Id(0)] public required FilingOutcome Outcome { get; init; }
    [Id(1)] public AssistanceRequestView? Request { get; init; }
    [Id(2)] public ImmutableDictionary<string, FieldMessage> Errors { get; init; } = ImmutableDictionary<string, FieldMessage>.Empty;
    [Id(3)] public string? Detail { get; init; }
}
