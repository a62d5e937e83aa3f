using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Clocks;

/// <summary>A stretch of time during which a clock stood still: who stopped it, why, from when until when.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.Pause")]
public sealed record Pause
{
    [Id(0)] public required DateTimeOffset From { get; init; }
    [Id(1)] public DateTimeOffset? Until { get; init; }
    [Id(2)] public required string By { get; init; }
    [Id(3)] public required string Reason { get; init; }

    /// <summary>The status whose coming paused the clock (awaiting information, postponed).</summary>
    [Id(4)] public required RequestStatus Cause { get; init; }
}
