using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Grains.Telemetry;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// A request shared with a peer that orders its events (the peer serves the requested authority): nothing is decided
/// or recorded here but the filing. This node records what the peer sends, sends its callers' actions there as
/// commands, one at a time and in order, and computes its own authorities' clocks, whose due times and events also
/// go there as commands.
/// </summary>
internal sealed class FollowingRole(
    IRequestShell shell,
    Placement placement,
    NodeMap nodes,
    IExchangeStore exchange,
    IPeerLink peers,
    TimeProvider time,
    RequestMetrics metrics) : IRequestRole
{
    private readonly Peer peer = placement.Peer!;

    public Placement Placement => placement;

    public OutboxMark? RecordedHere => new(peer.Id, PeerHas: null);

    public bool ResponsibleHere(string authority) => nodes.ServesHere(authority);

    public async Task<AssistanceRequestView> Shown(AssistanceRequestView view) =>
        view with { Exchange = await exchange.View(view.Id, placement) };

    public Task Activated(AssistanceRequest request) => CatchUp(request);

    /// <summary>
    /// The action is checked here against the request as this node has it (a refusal is answered at once) and stored
    /// as a command for the ordering node. Commands of a request go one at a time, in order: when none waits before
    /// it, it is sent at once (<see cref="Delivered"/>, outside the turn) and the caller gets the decision if it comes
    /// within the exchange's wait; otherwise, and when the ordering node cannot be reached, the caller is told it is
    /// pending, and the relay sends it after those before it until it is decided.
    /// </summary>
    public async Task<ActionStep> TakeAction(AssistanceRequest request, ActionCommand command, Actor actor)
    {
        var check = request.Act(command, actor, time.GetUtcNow(), shell.Data, ResponsibleHere);
        if (check.Outcome != ActionOutcome.Applied)
        {
            metrics.Action(command.Action, check.Outcome);
            var shown = check.Outcome == ActionOutcome.NotFound ? null : await shell.ViewFor(actor);
            return new ActionStep { Result = new ActionResult { Outcome = check.Outcome, Request = shown, Errors = check.Errors, Detail = check.Detail } };
        }

        var queued = await exchange.HasPending(request.Id, kind: null);
        var sent = await StoreCommand(request, new PeerCommand { Sequence = 0, Action = command, Actor = actor, BasedOn = 0, IssuedAt = default });
        if (queued)
        {
            metrics.Action(command.Action, ActionOutcome.Pending);
            peers.Kick();
        }

        var pending = new ActionResult
        {
            Outcome = ActionOutcome.Pending,
            Request = await shell.ViewFor(actor),
            Detail = queued
                ? $"Stored for node {peer.Id}, which orders this request, after the actions sent before it; it is applied when that node decides it."
                : $"Stored and sent to node {peer.Id}, which orders this request; it is applied when that node decides it.",
        };
        return new ActionStep { Result = pending, Send = queued ? null : sent };
    }

    /// <summary>Sends the step's command once; without a decision in time the caller keeps "pending" and the relay takes over.</summary>
    public async Task<ActionResult> Delivered(ActionStep step, RequestAction action, Func<int, PeerCommandReply, Task<ActionResult>> answered)
    {
        if (step.Send is not { } sent)
        {
            return step.Result;
        }

        var reply = await peers.TrySend(peer, shell.Request.Id, sent);
        if (reply is null)
        {
            metrics.Action(action, ActionOutcome.Pending);
            peers.Kick();
            return step.Result;
        }

        return await answered(sent.Sequence, reply);
    }

    /// <summary>
    /// This node's own clocks are this node's to compute and to escalate. Their due times on its calendar, where they
    /// differ from what the ordering node carried, go there as a command (and nothing is escalated until they come
    /// back); otherwise the events of its own clocks that fell due by its clock go there. One command of each kind
    /// waits at a time; the reminder points at the next event of its own clocks.
    /// </summary>
    public async Task CatchUp(AssistanceRequest request)
    {
        var now = time.GetUtcNow();
        var recalculated = request.Recalculate(now, shell.Data, "due times computed here", ResponsibleHere);
        var moved = recalculated.Clocks
            .Where(c => c.IsOpen && ResponsibleHere(c.ResponsibleAuthority) && request.Clocks.FirstOrDefault(o => o.Id == c.Id)?.DueAt != c.DueAt)
            .Select(c => new ClockDue(c.Id, c.DueAt)).ToImmutableArray();
        if (!moved.IsEmpty)
        {
            if (!await exchange.HasPending(request.Id, PeerCommand.DueTimesKind))
            {
                await StoreCommand(request, new PeerCommand { Sequence = 0, BasedOn = 0, IssuedAt = default, DueTimes = moved });
                peers.Kick();
            }
        }
        else if (request.Evaluate(now, shell.Data, ResponsibleHere).Recorded is { IsEmpty: false } due && !await exchange.HasPending(request.Id, PeerCommand.ClockEventsKind))
        {
            await StoreCommand(request, new PeerCommand { Sequence = 0, BasedOn = 0, IssuedAt = default, ClockEvents = due });
            peers.Kick();
        }

        await shell.SetReminder(force: false);
    }

    /// <summary>Due times are the ordering node's to record: this node's own go there as a command, and nothing is written here.</summary>
    public async Task<bool> Recalculate(AssistanceRequest request, Recalculation cause)
    {
        await CatchUp(request);
        return false;
    }

    /// <summary>Only the ordering node decides commands.</summary>
    public Task<PeerCommandReply> Decide(AssistanceRequest request, PeerCommand command, string sender) =>
        Task.FromResult(OrderingRole.NotItsCommand(request, sender));

    /// <summary>The ordering node sends every event.</summary>
    public string? Refuses(SharedChange change, string sender) => null;

    /// <summary>What the ordering node recorded may have moved this node's clocks or made their events due.</summary>
    public Task Received(bool isNew) => CatchUp(shell.Request);

    /// <summary>Stores <paramref name="template"/> as this request's next command for the ordering node.</summary>
    private async Task<PeerCommand> StoreCommand(AssistanceRequest request, PeerCommand template)
    {
        var command = template with { Sequence = await exchange.LastCommand(request.Id) + 1, BasedOn = request.Head.Sequence, IssuedAt = time.GetUtcNow() };
        await exchange.AddCommand(request.Id, peer.Id, command);
        return command;
    }
}
