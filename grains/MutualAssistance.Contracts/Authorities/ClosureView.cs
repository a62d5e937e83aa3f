namespace MutualAssistance.Contracts.Authorities;

/// <summary>A day a state declared its offices closed, at run time: when, why, who declared it and when.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClosureView")]
public sealed record ClosureView
{
    [Id(0)] public required DateOnly Date { get; init; }
    [Id(1)] public required string Reason { get; init; }
    [Id(2)] public required string DeclaredBy { get; init; }
    [Id(3)] public required string DeclaredByAuthority { get; init; }
    [Id(4)] public required DateTimeOffset DeclaredAt { get; init; }
}
