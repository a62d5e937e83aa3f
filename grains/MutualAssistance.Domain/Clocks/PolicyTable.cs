using System.Collections.Frozen;
using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Escalations;

namespace MutualAssistance.Domain.Clocks;

/// <summary>The deadline rules per legal basis and the escalation ladder: data, loaded from policies.json.</summary>
public sealed class PolicyTable(IReadOnlyDictionary<LegalBasis, ImmutableArray<ClockRule>> rules, EscalationLadder ladder)
{
    private readonly FrozenDictionary<LegalBasis, ImmutableArray<ClockRule>> rules = rules.ToFrozenDictionary();

    public EscalationLadder Ladder { get; } = ladder;

    public IReadOnlyDictionary<LegalBasis, ImmutableArray<ClockRule>> Rules => rules;

    public ImmutableArray<ClockRule> For(LegalBasis basis) => rules.TryGetValue(basis, out var found) ? found : [];

    public ClockRule? Find(LegalBasis basis, ClockKind kind) => For(basis).FirstOrDefault(r => r.Kind == kind);

    /// <summary>The ladder of a clock: its own rule's, else its policy's, else the default (<see cref="Ladder"/>), as the file resolved them.</summary>
    public EscalationLadder LadderFor(LegalBasis basis, ClockKind kind) => Find(basis, kind)?.Ladder ?? Ladder;
}
