namespace MutualAssistance.Domain.Clocks;

/// <summary>An extension granted to a clock: who, when, why, by how many days (in the clock's own unit), and the new estimate.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.Extension")]
public sealed record Extension
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required int Days { get; init; }
    [Id(3)] public required string Reason { get; init; }
    [Id(4)] public DateOnly? Estimate { get; init; }
}
