using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// What <see cref="IAssistanceRequestTurns.TakeAction"/> did: the caller's answer as it stands, and on a following
/// node the command to send to the ordering node now, outside the turn (null: nothing to send, or the relay sends it
/// after the commands before it).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.ActionStep")]
public sealed record ActionStep
{
    [Id(0)] public required ActionResult Result { get; init; }

    [Id(1)] public PeerCommand? Send { get; init; }
}
