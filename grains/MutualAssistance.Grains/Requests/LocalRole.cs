using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// A request both of whose authorities this node serves: every clock is this node's, nothing is exchanged, and no
/// peer sends it anything (<see cref="AssistanceRequestGrain.Receive"/> refuses a change for it before any role is asked).
/// </summary>
internal sealed class LocalRole(IRequestShell shell, TimeProvider time, RequestMetrics metrics, ILogger logger)
    : DecidingRole(shell, time, metrics, logger)
{
    public override Placement Placement => Placement.Local;

    public override OutboxMark? RecordedHere => null;

    public override bool ResponsibleHere(string authority) => true;

    public override Task<AssistanceRequestView> Shown(AssistanceRequestView view) => Task.FromResult(view);

    /// <summary>No node sends commands for a local request.</summary>
    public override Task<PeerCommandReply> Decide(AssistanceRequest request, PeerCommand command, string sender) =>
        Task.FromResult(OrderingRole.NotItsCommand(request, sender));

    public override string? Refuses(SharedChange change, string sender) => null;

    public override Task Received(bool isNew) => Task.CompletedTask;
}
