namespace MutualAssistance.Contracts.Requests;

[Alias("ma.ClockState")]
public enum ClockState
{
    Running = 0,
    Paused = 1,
    Met = 2,
    Breached = 3,
    Cancelled = 4,
}
