namespace MutualAssistance.Domain.Clocks;

/// <summary>Something a clock's time brought: a warning (at a percentage), the breach, or an escalation level.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ClockEvent")]
public sealed record ClockEvent(
    [property: Id(0)] int ClockId,
    [property: Id(1)] Contracts.Requests.ClockKind Kind,
    [property: Id(2)] ClockEventKind Event,
    [property: Id(3)] DateTimeOffset DueAt,
    [property: Id(4)] int Value,
    [property: Id(5)] string Description);
