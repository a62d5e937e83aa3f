using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Authorities;

/// <summary>The outcome of declaring or removing a closure, the closure as it now stands, and what was wrong.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClosureResult")]
public sealed record ClosureResult
{
    [Id(0)] public required ClosureOutcome Outcome { get; init; }
    [Id(1)] public ClosureView? Closure { get; init; }
    [Id(2)] public ImmutableDictionary<string, FieldMessage> Errors { get; init; } = ImmutableDictionary<string, FieldMessage>.Empty;
    [Id(3)] public string? Detail { get; init; }
}
