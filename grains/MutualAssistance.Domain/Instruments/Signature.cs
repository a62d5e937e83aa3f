using NodaTime;

namespace MutualAssistance.Domain.Instruments;

/// <summary>A state that signed an instrument without being bound by it: shown, never a basis of a filing.</summary>
public sealed record Signature(string State, LocalDate? SignedOn, SourceReference Source);
