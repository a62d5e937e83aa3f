using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The parts of an action that run in the request grain's turn (the same grain as <see cref="IAssistanceRequestGrain"/>),
/// called by the grain itself: <see cref="IAssistanceRequestGrain.Act"/> interleaves, so that waiting for the
/// ordering node's decision on a following node holds no turn (reads and other actions go on meanwhile), and
/// everything that reads or changes the request happens here, one call at a time.
/// </summary>
[Alias("ma.IAssistanceRequestTurns")]
public interface IAssistanceRequestTurns : IGrainWithGuidKey
{
    /// <summary>
    /// Takes the action as <see cref="IAssistanceRequestGrain.Act"/> describes; on a following node, stores it as a
    /// command and says whether to send it now (no earlier command waits) or leave it to the relay.
    /// </summary>
    [Alias("TakeAction")]
    Task<ActionStep> TakeAction(ActionCommand command, Actor actor);

    /// <summary>Applies the ordering node's answer to command <paramref name="sequence"/> and tells <paramref name="actor"/> what became of it.</summary>
    [Alias("Answered")]
    Task<ActionResult> Answered(int sequence, PeerCommandReply reply, Actor actor, RequestAction action);
}
