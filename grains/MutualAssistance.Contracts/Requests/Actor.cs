namespace MutualAssistance.Contracts.Requests;

/// <summary>Who acts: the authenticated subject, the central authority it acts for, and its role.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.Actor")]
public sealed record Actor
{
    [Id(0)] public required string Subject { get; init; }
    [Id(1)] public required string Authority { get; init; }
    [Id(2)] public required string Role { get; init; }
}
