namespace MutualAssistance.Grains.Clocks;

/// <summary>Something a clock's time brought: a warning (at a percentage), the breach, or an escalation level.</summary>
public sealed record ClockEvent(int ClockId, Contracts.Requests.ClockKind Kind, ClockEventKind Event, DateTimeOffset DueAt, int Value, string Description);
