namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// What a clock's period is: the instrument's own (<see cref="Statutory"/>, its article cited) or a
/// <see cref="Target"/> chosen where the instrument sets none, with who set it; a target is never presented as law.
/// </summary>
[Alias("ma.ClockNature")]
public enum ClockNature
{
    Statutory = 0,
    Target = 1,
}
