using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// What the request grain, the durable shell, lends its role (<see cref="IRequestRole"/>): the request as stored, the
/// commit, the reminder and the view. The roles decide what changes; only the shell writes, so a failed commit drops
/// the activation the same way whichever role made the change.
/// </summary>
internal interface IRequestShell
{
    /// <summary>The request as stored (a role is called only once there is one).</summary>
    AssistanceRequest Request { get; }

    /// <summary>The reference data as this silo has it now (it changes between calls).</summary>
    ReferenceDataSet Data { get; }

    /// <summary>
    /// Commits <paramref name="next"/>; <paramref name="received"/> marks events that came from the peer, otherwise
    /// the role's own mark applies (<see cref="IRequestRole.RecordedHere"/>).
    /// </summary>
    Task Save(AssistanceRequest next, OutboxMark? received = null);

    /// <summary>Keeps <paramref name="request"/>, checked against newer data but with nothing to write, as the request in memory.</summary>
    void Keep(AssistanceRequest request);

    /// <summary>Points the reminder at the next event of this node's clocks (<paramref name="force"/>: even if it seems set).</summary>
    Task SetReminder(bool force);

    Task<AssistanceRequestView> ViewFor(Actor? viewer);

    /// <summary>The events after <paramref name="after"/> and the request as it stands, for a command's answer (null: too many, or none).</summary>
    Task<SharedChange?> ChangeSince(int after);
}
