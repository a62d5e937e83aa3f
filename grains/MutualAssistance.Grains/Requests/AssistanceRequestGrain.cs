using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Domain.Retention;
using MutualAssistance.Grains.Telemetry;
using Orleans.Runtime;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The durable shell around one <see cref="AssistanceRequest"/>: it applies the rules, commits each change (new
/// events, state and read-model rows in one transaction), answers reads from memory, and keeps one reminder set to
/// the request's next clock event. Every wake-up (activation, reminder tick, <see cref="Wake"/>) evaluates all clocks
/// against the current time, so a late, repeated or skipped tick records each warning, breach and escalation exactly once.
/// A request shared with another node (<see cref="NodeMap.PlacementOf(FileRequest)"/>) is the same grain on both: where
/// it is ordered, it decides and records as a local one does and its commits mark the events for the peer; where it
/// follows, it records only what the peer sends and sends its callers' actions to the peer as commands.
/// </summary>
public sealed partial class AssistanceRequestGrain(
    IRequestStore store,
    [FromKeyedServices(DeadlineTime.Key)] TimeProvider time,
    CurrentReferenceData referenceData,
    RequestMetrics metrics,
    NodeMap nodes,
    IExchangeStore exchange,
    IPeerLink peers,
    RetentionPolicy retention,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IAssistanceRequestTurns, IRequestExchangeGrain, IRemindable
{
    /// <summary>How many events a command's answer carries at most; more are left to the relay.</summary>
    private const int MaxEventsInReply = 200;

    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(5);

    /// <summary>The request as stored (no new events), or null when nothing was filed under this id.</summary>
    private AssistanceRequest? current;

    /// <summary>The instant the reminder is set for, as far as this activation knows (null: not known).</summary>
    private DateTimeOffset? reminderFor;

    /// <summary>Retries a reminder update that failed, until it succeeds.</summary>
    private IGrainTimer? reminderRetry;

    private readonly RequestViews views = new();

    /// <summary>Where the request lives: local, or shared and ordered here, or shared and following the peer.</summary>
    private Placement placement = Placement.Local;

    private ReferenceDataSet Data => referenceData.Set;

    /// <summary>The peer orders this request's events: nothing is decided or recorded here but the filing.</summary>
    private bool Follows => placement.Role == RequestRole.Follows;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        current = await store.Read(this.GetPrimaryKey(), cancellationToken);
        if (current is { } request)
        {
            placement = nodes.PlacementOf(request.Filed) ?? Placement.Local;
            if (Follows)
            {
                await FollowerCatchUp(request);
                return;
            }

            var caughtUp = request.ReferenceVersion == Data.Version ? request.Evaluate(time.GetUtcNow(), Data, ResponsibleHere).Request : request.Recalculate(time.GetUtcNow(), Data, responsibleHere: ResponsibleHere);
            if (caughtUp.Version != request.Version)
            {
                await Save(caughtUp);
            }
            else
            {
                current = caughtUp;
            }

            await SetReminder(force: true);
        }
    }

    public async Task<FilingResult> File(FileRequest request, Actor actor)
    {
        if (current is { } existing)
        {
            var outcome = existing.IsSameFiling(request) ? FilingOutcome.AlreadyFiled : FilingOutcome.IdTakenByAnotherRequest;
            return new FilingResult { Outcome = outcome, Request = views.Of(existing, actor, Data) };
        }

        if (!nodes.ServesHere(actor.Authority))
        {
            return new FilingResult { Outcome = FilingOutcome.Forbidden, Detail = NotServedHere(actor.Authority) };
        }

        placement = nodes.PlacementOf(request) ?? Placement.Local;
        var decision = AssistanceRequest.TryFile(this.GetPrimaryKey(), request, actor, time.GetUtcNow(), Data, ResponsibleHere);
        if (decision.Request is not { } filed)
        {
            return new FilingResult { Outcome = decision.Outcome, Errors = decision.Errors, Detail = decision.Detail };
        }

        if (nodes.FilingErrors(request) is { Count: > 0 } errors)
        {
            return new FilingResult { Outcome = FilingOutcome.Invalid, Errors = errors, Detail = "The request's authorities are not served by this federation as given; nothing was filed." };
        }

        await Save(filed);
        await SetReminder(force: false);
        metrics.Filed(filed.Filed.LegalBasis);
        LogFiled(filed.Id, filed.Filed.LegalBasis, filed.Clocks.Length);
        return new FilingResult { Outcome = FilingOutcome.Created, Request = await ViewFor(actor) };
    }

    /// <summary>
    /// The request as <paramref name="viewer"/> may see it: nothing unless its authority is a party and is served by
    /// this node (callers talk to their own node).
    /// </summary>
    public async Task<AssistanceRequestView?> Get(Actor? viewer) =>
        current is { } request && (viewer is null || (request.SideOf(viewer.Authority) is not null && nodes.ServesHere(viewer.Authority)))
            ? await ViewFor(viewer)
            : null;

    /// <summary>
    /// Interleaves (<see cref="IAssistanceRequestGrain.Act"/>): the action is taken in the grain's turn
    /// (<see cref="TakeAction"/>); on a following node, the wait for the ordering node's decision holds no turn, so
    /// reads are served and a second action is queued meanwhile.
    /// </summary>
    public async Task<ActionResult> Act(ActionCommand command, Actor actor)
    {
        var turns = this.AsReference<IAssistanceRequestTurns>();
        var step = await turns.TakeAction(command, actor);
        if (step.Send is not { } sent || placement.Peer is not { } peer)
        {
            return step.Result;
        }

        var reply = await peers.TrySend(peer, this.GetPrimaryKey(), sent);
        if (reply is null)
        {
            metrics.Action(command.Action, ActionOutcome.Pending);
            peers.Kick();
            return step.Result;
        }

        return await turns.Answered(sent.Sequence, reply, actor, command.Action);
    }

    public async Task<ActionStep> TakeAction(ActionCommand command, Actor actor)
    {
        if (current is not { } request || !nodes.ServesHere(actor.Authority))
        {
            return new ActionStep { Result = new ActionResult { Outcome = ActionOutcome.NotFound, Detail = "No such request." } };
        }

        if (Follows)
        {
            return await StoreForOrderingNode(request, command, actor);
        }

        var decision = request.Act(command, actor, time.GetUtcNow(), Data, ResponsibleHere);
        if (decision.Outcome == ActionOutcome.Applied)
        {
            await Save(decision.Request);
            await SetReminder(force: false);
        }

        metrics.Action(command.Action, decision.Outcome);
        LogAction(request.Id, command.Action, decision.Outcome);
        var shown = decision.Outcome == ActionOutcome.NotFound ? null : await ViewFor(actor);
        return new ActionStep { Result = new ActionResult { Outcome = decision.Outcome, Request = shown, Errors = decision.Errors, Detail = decision.Detail } };
    }

    /// <summary>
    /// On the following node: the action is checked here against the request as this node has it (a refusal is
    /// answered at once) and stored as a command for the ordering node. Commands of a request go one at a time, in
    /// order: when none waits before it, it is sent at once (by <see cref="Act"/>, outside the turn) and the caller
    /// gets the decision if it comes within the exchange's wait; otherwise, and when the ordering node cannot be
    /// reached, the caller is told it is pending, and the relay sends it after those before it until it is decided.
    /// </summary>
    private async Task<ActionStep> StoreForOrderingNode(AssistanceRequest request, ActionCommand command, Actor actor)
    {
        var check = request.Act(command, actor, time.GetUtcNow(), Data, ResponsibleHere);
        if (check.Outcome != ActionOutcome.Applied)
        {
            metrics.Action(command.Action, check.Outcome);
            var shown = check.Outcome == ActionOutcome.NotFound ? null : await ViewFor(actor);
            return new ActionStep { Result = new ActionResult { Outcome = check.Outcome, Request = shown, Errors = check.Errors, Detail = check.Detail } };
        }

        var peer = placement.Peer!;
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
            Request = await ViewFor(actor),
            Detail = queued
                ? $"Stored for node {peer.Id}, which orders this request, after the actions sent before it; it is applied when that node decides it."
                : $"Stored and sent to node {peer.Id}, which orders this request; it is applied when that node decides it.",
        };
        return new ActionStep { Result = pending, Send = queued ? null : sent };
    }

    public async Task<ActionResult> Answered(int sequence, PeerCommandReply reply, Actor actor, RequestAction action)
    {
        var peer = placement.Peer?.Id ?? string.Empty;
        await Apply(sequence, reply, peer);
        var decision = reply.Decision!;
        metrics.Action(action, decision.Outcome);
        return new ActionResult
        {
            Outcome = decision.Outcome,
            Request = await ViewFor(actor),
            Detail = decision.Outcome == ActionOutcome.Applied ? null : $"Node {peer}, which orders this request, refused it: {decision.Detail}",
        };
    }

    public async Task<ReceiveResult> Receive(SharedChange change, string sender)
    {
        var incoming = nodes.PlacementOf(change.State.Filed);
        if (incoming?.Peer?.Id != sender || (current is { } here && !here.IsSameFiling(change.State.Filed)))
        {
            return Refused(ReceiveOutcome.Invalid, $"Request {change.State.Id} is not one this node shares with node {sender}.");
        }

        if (incoming.Role == RequestRole.Orders && change.LastSequence > 1)
        {
            return Refused(ReceiveOutcome.Invalid, $"This node orders request {change.State.Id}: node {sender} may send its filing only.");
        }

        var result = await ApplyReceived(change, sender);
        if (result.Outcome == ReceiveOutcome.Held)
        {
            await exchange.Hold(change.State.Id, sender, change);
        }

        return result;
    }

    public async Task<PeerCommandReply> Decide(PeerCommand command, string sender)
    {
        if (current is not { } request)
        {
            return new PeerCommandReply { Detail = "The request's filing has not arrived here yet." };
        }

        var named = command.ClockEvents.Select(e => e.ClockId).Concat(command.DueTimes.Select(d => d.ClockId)).ToList();
        if (placement.Role != RequestRole.Orders || placement.Peer!.Id != sender
            || (command.Actor is { } actor && nodes.PeerServing(actor.Authority)?.Id != sender)
            || named.Any(id => request.Clocks.FirstOrDefault(c => c.Id == id) is not { } clock || nodes.PeerServing(clock.ResponsibleAuthority)?.Id != sender))
        {
            return new PeerCommandReply { Forbidden = true, Detail = $"Node {sender} may not send this command for request {request.Id}: the actor or the clocks it names are not its authorities'." };
        }

        AssistanceRequest next;
        PeerCommandDecision decision;
        try
        {
            (next, decision) = request.DecidePeerCommand(command, sender, time.GetUtcNow(), Data, ResponsibleHere);
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
            await Save(next, carried ? new OutboxMark(sender, next.Head.Sequence) : null);
            await SetReminder(force: false);
            LogPeerCommand(request.Id, sender, command.Sequence, command.Kind, decision.Outcome);
        }

        return new PeerCommandReply { Decision = decision, Change = await ChangeSince(command.BasedOn) };
    }

    public Task Decided(int sequence, PeerCommandReply reply) => Apply(sequence, reply, placement.Peer?.Id ?? string.Empty);

    private async Task Apply(int sequence, PeerCommandReply reply, string sender)
    {
        if (reply.Change is { } change)
        {
            var result = await ApplyReceived(change, sender);
            if (result.Outcome is ReceiveOutcome.Invalid or ReceiveOutcome.Diverged)
            {
                LogReceiveRefused(this.GetPrimaryKey(), sender, result.Outcome, result.Detail);
            }
        }

        // A decision counts only for the command it names: another command's decision leaves this one waiting.
        if (reply.Decision is { } decision && decision.Sequence == sequence)
        {
            await exchange.CommandDecided(this.GetPrimaryKey(), decision);
        }
        else
        {
            LogDecisionMismatch(this.GetPrimaryKey(), sender, sequence, reply.Decision?.Sequence);
        }
    }

    /// <summary>Applies a change from the peer, then whatever held change now follows; a filing ordered here gets its own due times.</summary>
    private async Task<ReceiveResult> ApplyReceived(SharedChange change, string sender)
    {
        var head = current?.Head ?? ChainHead.Genesis;
        var storedHash = change.LastSequence < head.Sequence ? await exchange.HashAt(change.State.Id, change.LastSequence) : null;
        var (outcome, next, detail) = AssistanceRequest.Receive(current, change, storedHash);
        if (outcome == ReceiveOutcome.Duplicate)
        {
            return new ReceiveResult { Outcome = outcome, Head = head, Committed = ChainHead.Of(change.Events[^1]) };
        }

        if (outcome != ReceiveOutcome.Applied)
        {
            return outcome is ReceiveOutcome.Invalid or ReceiveOutcome.Diverged ? Refused(outcome, detail) : new ReceiveResult { Outcome = outcome, Head = head, Detail = detail };
        }

        var isNew = current is null;
        placement = nodes.PlacementOf(next!.Filed) ?? Placement.Local;
        await Save(next with { ReferenceVersion = Data.Version }, new OutboxMark(sender, next.Head.Sequence));
        if (Follows)
        {
            await FollowerCatchUp(current!);
        }

        if (isNew && placement.Role == RequestRole.Orders)
        {
            // The filer's node computed every due time on the calendars it knows; this node's authorities' clocks
            // are this node's to compute, on its own calendar (with the closures declared here).
            var own = current!.Recalculate(time.GetUtcNow(), Data, "due times computed by the node of the responsible authority", ResponsibleHere);
            if (own.Version != current.Version)
            {
                await Save(own);
            }

            await SetReminder(force: true);
        }

        // A change held for a gap this one filled: applied now (and whatever follows it in turn); one it covers: dropped.
        foreach (var held in await exchange.Held(change.State.Id))
        {
            if (held.After.Sequence > current!.Head.Sequence)
            {
                break;
            }

            await exchange.Release(change.State.Id, held.After.Sequence);
            if (held.LastSequence > current.Head.Sequence)
            {
                await ApplyReceived(held, sender);
                break;
            }
        }

        return new ReceiveResult { Outcome = ReceiveOutcome.Applied, Head = current!.Head, Committed = ChainHead.Of(change.Events[^1]) };
    }

    private ReceiveResult Refused(ReceiveOutcome outcome, string? detail)
    {
        LogReceiveRefused(this.GetPrimaryKey(), placement.Peer?.Id ?? "?", outcome, detail);
        return new ReceiveResult { Outcome = outcome, Head = current?.Head ?? ChainHead.Genesis, Detail = detail };
    }

    /// <summary>The events after <paramref name="after"/> and the request as it stands, for a command's answer.</summary>
    private async Task<SharedChange?> ChangeSince(int after)
    {
        if (current is not { } request || after >= request.Head.Sequence || request.Head.Sequence - after > MaxEventsInReply)
        {
            return null;
        }

        var events = await store.ReadHistory(request.Id, Math.Max(after, 0), MaxEventsInReply);
        return events.IsEmpty || events[^1].Sequence != request.Head.Sequence
            ? null
            : new SharedChange { After = new ChainHead { Sequence = after, Hash = events[0].PreviousHash }, Events = events, State = request };
    }

    private bool ResponsibleHere(string authority) => !placement.IsShared || nodes.ServesHere(authority);

    /// <summary>Stores <paramref name="template"/> as this request's next command for the ordering node.</summary>
    private async Task<PeerCommand> StoreCommand(AssistanceRequest request, PeerCommand template)
    {
        var command = template with { Sequence = await exchange.LastCommand(request.Id) + 1, BasedOn = request.Head.Sequence, IssuedAt = time.GetUtcNow() };
        await exchange.AddCommand(request.Id, placement.Peer!.Id, command);
        return command;
    }

    /// <summary>
    /// On the following node: this node's own clocks are this node's to compute and to escalate. Their due times on
    /// its calendar, where they differ from what the ordering node carried, go there as a command (and nothing is
    /// escalated until they come back); otherwise the events of its own clocks that fell due by its clock go there.
    /// One command of each kind waits at a time; the reminder points at the next event of its own clocks.
    /// </summary>
    private async Task FollowerCatchUp(AssistanceRequest request)
    {
        var now = time.GetUtcNow();
        var recalculated = request.Recalculate(now, Data, "due times computed here", ResponsibleHere);
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
        else if (request.Evaluate(now, Data, ResponsibleHere).Recorded is { IsEmpty: false } due && !await exchange.HasPending(request.Id, PeerCommand.ClockEventsKind))
        {
            await StoreCommand(request, new PeerCommand { Sequence = 0, BasedOn = 0, IssuedAt = default, ClockEvents = due });
            peers.Kick();
        }

        await SetReminder(force: false);
    }

    private async Task<AssistanceRequestView> ViewFor(Actor? viewer)
    {
        var view = views.Of(current!, viewer, Data);
        return placement.IsShared ? view with { Exchange = await exchange.View(current!.Id, placement) } : view;
    }

    private string NotServedHere(string authority) => $"The authority '{authority}' is not served by this node ({nodes.NodeId}): use its own node.";

    public async Task<HistoryPage> GetHistory(int after, int limit)
    {
        if (current is null)
        {
            return new HistoryPage { Items = [] };
        }

        limit = Math.Clamp(limit, 1, HistoryPage.MaxLimit);
        var entries = await store.ReadHistory(this.GetPrimaryKey(), Math.Max(after, 0), limit);
        var next = entries.Length == limit && entries[^1].Sequence < current.Head.Sequence ? entries[^1].Sequence : (int?)null;
        return new HistoryPage { Items = [.. entries.Select(e => e.ToView())], Next = next };
    }

    public async Task<HistoryVerification> VerifyHistory()
    {
        if (current is not { } request)
        {
            return HashChain.Verify([]);
        }

        return HashChain.Verify(await ReadAllHistory(), request.Head, request.HistorySalt);
    }

    private async Task<List<HistoryEntry>> ReadAllHistory()
    {
        var all = new List<HistoryEntry>();
        while (true)
        {
            var page = await store.ReadHistory(this.GetPrimaryKey(), all.Count == 0 ? 0 : all[^1].Sequence, HistoryPage.MaxLimit);
            all.AddRange(page);
            if (page.Length < HistoryPage.MaxLimit)
            {
                return all;
            }
        }
    }

    public async Task<ActionResult> Erase(Actor actor)
    {
        if (current is not { } request || !nodes.ServesHere(actor.Authority) || request.SideOf(actor.Authority) is null)
        {
            return new ActionResult { Outcome = ActionOutcome.NotFound, Detail = "No such request." };
        }

        var (outcome, detail) = request.MayErase(actor);
        if (outcome != ActionOutcome.Applied)
        {
            return new ActionResult { Outcome = outcome, Detail = detail };
        }

        if (request.ErasedAt is null)
        {
            await EraseNow(request);
        }

        return new ActionResult { Outcome = ActionOutcome.Applied, Request = await ViewFor(actor) };
    }

    public async Task<bool> ExpireRetention()
    {
        var now = time.GetUtcNow();
        if (current is not { } request
            || retention.ErasureDue(request, a => Data.Authorities.Find(a)?.State, nodes.ServesHere) is not { } due
            || due > now)
        {
            return false;
        }

        await EraseNow(request);
        return true;
    }

    private async Task EraseNow(AssistanceRequest request)
    {
        var erased = request.Erased(time.GetUtcNow());
        try
        {
            await store.Erase(erased);
        }
        catch
        {
            DeactivateOnIdle(); // as after a failed commit: what is stored decides
            throw;
        }

        current = erased;
        LogErased(request.Id);
    }

    public Task Wake() => CatchUp();

    public async Task<bool> Recalculate(Recalculation cause)
    {
        if (current is not { } request)
        {
            return false;
        }

        if (Follows)
        {
            await referenceData.CatchUp(cause.ClosuresAtLeast);
            await FollowerCatchUp(request);
            return false;
        }

        await referenceData.CatchUp(cause.ClosuresAtLeast);
        var recalculated = request.Recalculate(time.GetUtcNow(), Data, cause.Reason, ResponsibleHere);
        if (recalculated.Version == request.Version)
        {
            // Nothing moved: remember the data version it was checked against, and write nothing.
            current = recalculated;
            return false;
        }

        await Save(recalculated);
        await SetReminder(force: true);
        return true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineTime.ReminderName)
        {
            return;
        }

        reminderFor = null;
        await CatchUp();
    }

    private async Task CatchUp()
    {
        if (current is not { } request)
        {
            return;
        }

        if (Follows)
        {
            await FollowerCatchUp(request);
            return;
        }

        var (evaluated, recorded) = request.Evaluate(time.GetUtcNow(), Data, ResponsibleHere);
        if (!recorded.IsEmpty)
        {
            await Save(evaluated);
            var now = time.GetUtcNow();
            foreach (var clockEvent in recorded)
            {
                var lateness = now - clockEvent.DueAt;
                metrics.Late(clockEvent, lateness);
                LogClockEvent(request.Id, clockEvent.Kind, clockEvent.Event, clockEvent.Value, lateness);
            }
        }

        await SetReminder(force: false);
    }

    /// <summary>
    /// Commits the next version: its new events, its state and its read-model rows in one transaction. If the commit
    /// fails, this activation is dropped and the caller sees the failure.
    /// </summary>
    private async Task Save(AssistanceRequest next, OutboxMark? received = null)
    {
        var previous = current;
        var outbox = received ?? (placement.Peer is { } peer ? new OutboxMark(peer.Id, PeerHas: null) : null);
        try
        {
            await store.Commit(new RequestChange(previous?.Version, next, Projections.Of(next, Data), outbox));
        }
        catch
        {
            // The commit may have landed although it failed here (the connection broke after the commit, say), or
            // another activation wrote first: this activation's memory can no longer be trusted. The next call
            // activates afresh from storage, and a caller told "outcome unknown" then reads what is stored.
            DeactivateOnIdle();
            throw;
        }

        current = next.Stored();
        metrics.Recorded(previous?.Clocks ?? [], next.Clocks);
        if (outbox is { PeerHas: null })
        {
            peers.Kick();
        }
    }

    /// <summary>
    /// Points the one reminder at the next clock event, or removes it when no clock is ticking. It runs after the
    /// durable write, so it never fails the call: a failed update is logged and retried on a timer until it
    /// succeeds, and meanwhile the sweep wakes the request if its next event falls due.
    /// </summary>
    private async Task SetReminder(bool force)
    {
        try
        {
            await PointReminder(force);
            reminderRetry?.Dispose();
            reminderRetry = null;
        }
        catch (Exception e)
        {
            LogReminderPending(this.GetPrimaryKey(), e.GetType().Name, e.Message);
            reminderRetry ??= this.RegisterGrainTimer(_ => SetReminder(force: true), ReminderRetry, ReminderRetry);
        }
    }

    private async Task PointReminder(bool force)
    {
        // Each node wakes for the events of its own authorities' clocks.
        var next = current?.NextEventAt(Data, ResponsibleHere);
        if (!force && next == reminderFor)
        {
            return;
        }

        if (next is null)
        {
            if (await this.GetReminder(DeadlineTime.ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        else
        {
            var delay = next.Value - time.GetUtcNow();
            delay = delay < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : delay > DeadlineTime.LongestReminderDelay ? DeadlineTime.LongestReminderDelay : delay;
            await this.RegisterOrUpdateReminder(DeadlineTime.ReminderName, delay, DeadlineTime.ReminderRetryPeriod);
        }

        reminderFor = next;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: reminder not updated ({Error}: {Message}); retrying, the sweep covers it meanwhile")]
    private partial void LogReminderPending(Guid requestId, string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: personal data erased, its data key destroyed")]
    private partial void LogErased(Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} filed under {LegalBasis} with {Clocks} clock(s)")]
    private partial void LogFiled(Guid requestId, LegalBasis legalBasis, int clocks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: command {Sequence} from node {Node}: {Kind} -> {Outcome}")]
    private partial void LogPeerCommand(Guid requestId, string node, int sequence, string kind, ActionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: node {Node} answered command {Sequence} with the decision of command {Answered}; the command waits")]
    private partial void LogDecisionMismatch(Guid requestId, string node, int sequence, int? answered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: change from node {Node} refused ({Outcome}): {Detail}")]
    private partial void LogReceiveRefused(Guid requestId, string node, ReceiveOutcome outcome, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: {Action} -> {Outcome}")]
    private partial void LogAction(Guid requestId, RequestAction action, ActionOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: {Clock} {Event} {Value} recorded {Lateness} after it fell due")]
    private partial void LogClockEvent(Guid requestId, ClockKind clock, ClockEventKind @event, int value, TimeSpan lateness);
}
