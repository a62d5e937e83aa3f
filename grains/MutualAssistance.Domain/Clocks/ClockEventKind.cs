namespace MutualAssistance.Domain.Clocks;

public enum ClockEventKind
{
    Warning = 0,
    Breach = 1,
    Escalation = 2,
}
