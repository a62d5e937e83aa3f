using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// A state bound by an instrument: from the day it entered into force for that state until the day a denunciation
/// took effect (exclusive), with the languages it accepts requests in and the declarations that matter.
/// </summary>
public sealed record InstrumentParty(string State, LocalDate Since, LocalDate? Until, IReadOnlyList<string> Languages, string? Declarations, SourceReference Source)
{
    public bool BoundOn(LocalDate day) => Since <= day && (Until is not { } until || day < until);
}
