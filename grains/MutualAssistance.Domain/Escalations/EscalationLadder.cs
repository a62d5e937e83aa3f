using System.Collections.Immutable;

namespace MutualAssistance.Domain.Escalations;

/// <summary>
/// Warnings at fractions of a clock's period, then the breach, then escalation levels some days after it, as the
/// reference data's policy file (<c>ReferenceData/policies.json</c>, <c>escalation</c>) sets them: its one source.
/// </summary>
public sealed record EscalationLadder
{
    /// <summary>Percentages of the period at which a warning is due, ascending.</summary>
    public required ImmutableArray<int> WarningPercents { get; init; }
    public required ImmutableArray<EscalationStep> Steps { get; init; }
}

public sealed record EscalationStep
{
    public required int Level { get; init; }
    public required int DaysAfterBreach { get; init; }
    public required string Addressee { get; init; }
    public string? Duty { get; init; }
}
