namespace MutualAssistance.Domain.Instruments;

/// <summary>The authorities of the directory a party designated under an instrument (its central or competent authorities), and under which article.</summary>
public sealed record Designation(string State, IReadOnlyList<string> Authorities, string Article, SourceReference Source);
