using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// A request shared with a peer, whose events this node orders (it serves the requested authority): it decides and
/// records as a local request does, its commits mark the events for the peer, and it decides the peer's commands.
/// From the peer it takes the filing alone, and computes its own authorities' due times on its own calendar.
/// </summary>
internal sealed partial class OrderingRole(
    IRequestShell shell,
    Placement placement,
    NodeMap nodes,
    IExchangeStore exchange,
    TimeProvider time,
    RequestMetrics metrics,
    ILogger logger) : DecidingRole(shell, time, metrics, logger)
{
    /// <summary>How many events a command's answer carries at most; more are left to the relay.</summary>
    internal const int MaxEventsInReply = 200;

    private readonly Peer peer = placement.Peer!;

    public override Placement Placement => placement;

    public override OutboxMark? RecordedHere => new(peer.Id, PeerHas: null);

    public override bool ResponsibleHere(string authority) => nodes.ServesHere(authority);

    public override async Task<AssistanceRequestView> Shown(AssistanceRequestView view) =>
        view with { Exchange = await exchange.View(view.Id, placement) };

    /// <summary>The answer to a command from a node that may not send it: the actor or the clocks it names are not that node's.</summary>
    internal static PeerCommandReply NotItsCommand(AssistanceRequest request, string sender) =>
        new() { Forbidden = true, Detail = $"Node {sender} may not send this command for request {request.Id}: the actor or the clocks it names are not its authorities'." };

    public override async Task<PeerCommandReply> Decide(AssistanceRequest request, PeerCommand command, string sender)
    {
        var named = command.ClockEvents.Select(e => e.ClockId).Concat(command.DueTimes.Select(d => d.ClockId)).ToList();
        if (peer.Id != sender
            || (command.Actor is { } actor && nodes.PeerServing(actor.Authority)?.Id != sender)
            || named.Any(id => request.Clocks.FirstOrDefault(c => c.Id == id) is not { } clock || nodes.PeerServing(clock.ResponsibleAuthority)?.Id != sender))
        {
            return NotItsCommand(request, sender);
        }

        AssistanceRequest next;
        PeerCommandDecision decision;
        try
        {
            (next, decision) = request.DecidePeerCommand(command, sender, Time.GetUtcNow(), Shell.Data, ResponsibleHere);
        }
        catch (MalformedPeerCommandException e)
        {
            return new PeerCommandReply { Detail = e.Message };
        }

        if (!ReferenceEquals(next, request))
        {
            // The answer carries the events since the command's base up to the new head, and the sender sends the
            // command again until it has an answer: the relay need not send them again (it would only be told they
            // are duplicates). More than an answer carries are left to the relay.
            var carried = command.BasedOn < next.Head.Sequence && next.Head.Sequence - command.BasedOn <= MaxEventsInReply;
            await Shell.Save(next, carried ? new OutboxMark(sender, next.Head.Sequence) : null);
            await Shell.SetReminder(force: false);
            LogPeerCommand(Logger, request.Id, sender, command.Sequence, command.Kind, decision.Outcome);
        }

        return new PeerCommandReply { Decision = decision, Change = await Shell.ChangeSince(command.BasedOn) };
    }

    /// <summary>The peer files; everything after the filing is ordered here.</summary>
    public override string? Refuses(SharedChange change, string sender) =>
        change.LastSequence > 1 ? $"This node orders request {change.State.Id}: node {sender} may send its filing only." : null;

    public override async Task Received(bool isNew)
    {
        if (!isNew)
        {
            return;
        }

        // The filer's node computed every due time on the calendars it knows; this node's authorities' clocks
        // are this node's to compute, on its own calendar (with the closures declared here).
        var filed = Shell.Request;
        var own = filed.Recalculate(Time.GetUtcNow(), Shell.Data, "due times computed by the node of the responsible authority", ResponsibleHere);
        if (own.Version != filed.Version)
        {
            await Shell.Save(own);
        }

        await Shell.SetReminder(force: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: command {Sequence} from node {Node}: {Kind} -> {Outcome}")]
    private static partial void LogPeerCommand(ILogger logger, Guid requestId, string node, int sequence, string kind, ActionOutcome outcome);
}
