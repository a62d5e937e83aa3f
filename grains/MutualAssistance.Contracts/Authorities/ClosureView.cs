namespace MutualAssistance.Contracts.Authorities;

/// <summary>A day a state declared its offices closed, at run time: when, why, by which authority and when, and who declared it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClosureView")]
public sealed record ClosureView
{
    [Id(0)] public required DateOnly Date { get; init; }
    [Id(1)] public required string Reason { get; init; }

    /// <summary>The staff id of the admin who declared it: shown only to admins of that state's authorities, null to anyone else.</summary>
    [Id(2)] public string? DeclaredBy { get; init; }
    [Id(3)] public required string DeclaredByAuthority { get; init; }
    [Id(4)] public required DateTimeOffset DeclaredAt { get; init; }

    /// <summary>The region whose authorities it closes; null for the whole state.</summary>
    [Id(5)] public string? Region { get; init; }
}
