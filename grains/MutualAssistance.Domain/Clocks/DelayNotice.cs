namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// A delay the responsible side reported on a clock: who, when, why, and its new estimate (EIO art. 12(5)-(6): the
/// executing authority informs the issuing authority without delay, giving the reasons and the estimated time).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.DelayNotice")]
public sealed record DelayNotice
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required string Reason { get; init; }
    [Id(3)] public required DateOnly Estimate { get; init; }
}
