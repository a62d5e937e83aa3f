using System.Collections.Immutable;

namespace MutualAssistance.Domain.Escalations;

/// <summary>
/// Warnings at fractions of a clock's period, then the breach, then escalation levels some days after it, as the
/// reference data's policy file (<c>ReferenceData/policies.json</c>) sets them: its one source. The file's top-level
/// <c>escalation</c> is the default ladder (a rule of this system, citing no instrument); a policy (per legal basis)
/// or one of its clock rules may set its own <c>escalation</c> (steps and warnings), so that each clock's duties are
/// worded by its own instrument (<see cref="Clocks.PolicyTable.LadderFor"/>).
/// </summary>
public sealed record EscalationLadder
{
    /// <summary>Percentages of the period at which a warning is due, ascending.</summary>
    public required ImmutableArray<int> WarningPercents { get; init; }
    public required ImmutableArray<EscalationStep> Steps { get; init; }

    /// <summary>
    /// The level from which an escalation is mailed at once, whatever the recipient's office hours (the policy file's
    /// <c>mailAtOnceFromLevel</c>): a decision of its own, not "the top rung", so that a rung added above it changes
    /// nothing about when mail goes out.
    /// </summary>
    public required int MailAtOnceFromLevel { get; init; }

    /// <summary>Whether a mail about <paramref name="level"/> (0 the breach, then the steps' levels) goes at once.</summary>
    public bool MailsAtOnce(int level) => level >= MailAtOnceFromLevel;
}

public sealed record EscalationStep
{
    public required int Level { get; init; }
    public required int DaysAfterBreach { get; init; }
    public required string Addressee { get; init; }
    public string? Duty { get; init; }

    /// <summary>
    /// Not reached by a clock that was due at or before it started (a requested date already past when the clock
    /// started): consultation with the other state about a deadline nobody could have met is not owed (issue 24).
    /// </summary>
    public bool NotWhenDueAtStart { get; init; }
}
