using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// What the request grain does differently by the request's <see cref="Placement"/>: local (<see cref="LocalRole"/>),
/// shared and ordered here (<see cref="OrderingRole"/>), or shared and following the peer (<see cref="FollowingRole"/>).
/// The grain chooses one when the placement is known (activation, filing, first change received) and delegates to
/// it, so none of its methods asks which placement it is in. Orleans concerns (turns, grain calls, reminders) stay in
/// the grain; a role reaches the grain through <see cref="IRequestShell"/>. A role holds no state of its own.
/// </summary>
internal interface IRequestRole
{
    /// <summary>The placement the role was chosen for: the peer it names and the exchange state shown with the request.</summary>
    Placement Placement { get; }

    /// <summary>Whether this node computes and escalates the clocks of <paramref name="authority"/> (on a shared request, its own authorities' only).</summary>
    bool ResponsibleHere(string authority);

    /// <summary>What a commit of events recorded on this node tells the outbox: null when there is no peer to send them to.</summary>
    OutboxMark? RecordedHere { get; }

    /// <summary>Adds what the exchange knows of the request to its view, on a shared request.</summary>
    Task<AssistanceRequestView> Shown(AssistanceRequestView view);

    /// <summary>Brings the stored request up to the current time and reference data as the activation starts.</summary>
    Task Activated(AssistanceRequest request);

    /// <summary>Takes a caller's action in the grain's turn; on a following node the step may carry a command to send outside the turn.</summary>
    Task<ActionStep> TakeAction(AssistanceRequest request, ActionCommand command, Actor actor);

    /// <summary>
    /// After the turn (<see cref="IAssistanceRequestGrain.Act"/>): the caller's answer, once a command the step carries
    /// was sent and, if decided in time, <paramref name="answered"/> applied its decision in a new turn.
    /// </summary>
    Task<ActionResult> Delivered(ActionStep step, RequestAction action, Func<int, PeerCommandReply, Task<ActionResult>> answered);

    /// <summary>Records what fell due by now (a reminder, the sweep's wake-up).</summary>
    Task CatchUp(AssistanceRequest request);

    /// <summary>After a change of calendars or policies (the reference data already caught up): true when the request was written.</summary>
    Task<bool> Recalculate(AssistanceRequest request, Recalculation cause);

    /// <summary>Decides a command from the peer <paramref name="sender"/>; only the ordering node decides any.</summary>
    Task<PeerCommandReply> Decide(AssistanceRequest request, PeerCommand command, string sender);

    /// <summary>Why <paramref name="change"/> from <paramref name="sender"/> is not one this role takes (null: it is).</summary>
    string? Refuses(SharedChange change, string sender);

    /// <summary>After a change from the peer was committed (<paramref name="isNew"/>: it was the filing).</summary>
    Task Received(bool isNew);
}
