using System.Collections.Immutable;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.Federation;

/// <summary>
/// Events of a shared request as they travel from the node that recorded them: the link they follow
/// (<see cref="After"/>), the events, and the request as it stands after the last of them.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.SharedChange")]
public sealed record SharedChange
{
    [Id(0)] public required ChainHead After { get; init; }
    [Id(1)] public required ImmutableArray<HistoryEntry> Events { get; init; }
    [Id(2)] public required AssistanceRequest State { get; init; }

    public int LastSequence => Events.IsDefaultOrEmpty ? After.Sequence : Events[^1].Sequence;
}
