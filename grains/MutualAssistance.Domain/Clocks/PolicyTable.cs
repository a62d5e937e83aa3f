using System.Collections.Frozen;
using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Escalations;

namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// The deadline rules per legal basis (by the basis's code in the instrument catalogue; several bases may share one
/// policy of policies.json) and the escalation ladder: data, loaded from policies.json.
/// </summary>
public sealed class PolicyTable(IReadOnlyDictionary<string, ImmutableArray<ClockRule>> rules, EscalationLadder ladder)
{
    private readonly FrozenDictionary<string, ImmutableArray<ClockRule>> rules = rules.ToFrozenDictionary(StringComparer.Ordinal);

    public EscalationLadder Ladder { get; } = ladder;

    public IReadOnlyDictionary<string, ImmutableArray<ClockRule>> Rules => rules;

    public ImmutableArray<ClockRule> For(string basis) => rules.TryGetValue(basis, out var found) ? found : [];

    public ClockRule? Find(string basis, ClockKind kind) => For(basis).FirstOrDefault(r => r.Kind == kind);

    /// <summary>The ladder of a clock: its own rule's, else its policy's, else the default (<see cref="Ladder"/>), as the file resolved them.</summary>
    public EscalationLadder LadderFor(string basis, ClockKind kind) => Find(basis, kind)?.Ladder ?? Ladder;
}
