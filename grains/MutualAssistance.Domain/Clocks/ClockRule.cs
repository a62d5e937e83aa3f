using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// One row of the policy table: for a legal basis, a clock of some kind — who answers for it, what starts,
/// restarts, stops and pauses it, how long it runs and how far it may be extended, and the legal source.
/// </summary>
public sealed record ClockRule
{
    public required ClockKind Kind { get; init; }
    public required Side Side { get; init; }
    public bool StartsOnFiling { get; init; }
    public ImmutableHashSet<RequestAction> StartOn { get; init; } = [];

    /// <summary>Actions that start the clock afresh from the action (EIO art. 12(3): receipt by the competent authority).</summary>
    public ImmutableHashSet<RequestAction> RestartOn { get; init; } = [];

    /// <summary>Actions that meet the clock.</summary>
    public ImmutableHashSet<RequestAction> StopOn { get; init; } = [];

    /// <summary>Statuses during which the clock stands still.</summary>
    public ImmutableHashSet<RequestStatus> PauseWhile { get; init; } = [];
    public required DeadlinePeriod Period { get; init; }
    public DeadlinePeriod? UrgentPeriod { get; init; }
    public RequestedByRule RequestedBy { get; init; }
    public ExtensionRule? Extension { get; init; }

    /// <summary>Only for requests asking one of these types of assistance; empty means every request.</summary>
    public ImmutableHashSet<AssistanceType> OnlyFor { get; init; } = [];
    public required string Source { get; init; }

    /// <summary>Whether the period is the instrument's or a target chosen where the instrument sets none.</summary>
    public required ClockNature Nature { get; init; }

    /// <summary>For a target: who set it and why (never shown as law); null for a statutory period.</summary>
    public string? SetBy { get; init; }

    /// <summary>The clock's escalation ladder, worded by its instrument (its own or its policy's); null: the default ladder.</summary>
    public Escalations.EscalationLadder? Ladder { get; init; }

    public bool AppliesTo(FileRequest request) => OnlyFor.IsEmpty || request.AssistanceTypes.Any(OnlyFor.Contains);

    public DeadlinePeriod PeriodFor(Urgency urgency) => urgency == Urgency.Urgent && UrgentPeriod is { } urgent ? urgent : Period;
}
