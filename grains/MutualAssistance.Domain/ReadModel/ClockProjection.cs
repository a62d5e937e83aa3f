using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.ReadModel;

/// <summary>One clock of a request as the read model keeps it.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockProjection")]
public sealed record ClockProjection
{
    [Id(0)] public required int ClockId { get; init; }
    [Id(1)] public required ClockKind Kind { get; init; }
    [Id(2)] public required string ResponsibleAuthority { get; init; }
    [Id(3)] public required Side ResponsibleSide { get; init; }
    [Id(4)] public required ClockState State { get; init; }
    [Id(5)] public required DateTimeOffset StartedAt { get; init; }
    [Id(6)] public DateTimeOffset? DueAt { get; init; }
    [Id(7)] public DateTimeOffset? StoppedAt { get; init; }
    [Id(8)] public DateTimeOffset? BreachedAt { get; init; }
    [Id(9)] public required int EscalationLevel { get; init; }

    /// <summary>Whether the due time crossed a provisional or missing calendar year (<see cref="Clocks.Clock.CalendarNote"/>).</summary>
    [Id(10)] public bool ProvisionalCalendar { get; init; }
}
