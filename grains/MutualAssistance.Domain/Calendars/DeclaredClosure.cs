using NodaTime;

namespace MutualAssistance.Domain.Calendars;

/// <summary>A day a state declared its offices closed at run time, with why, who and when.</summary>
public sealed record DeclaredClosure(string State, LocalDate Date, string Reason, string DeclaredBy, string DeclaredByAuthority, DateTimeOffset DeclaredAt);
