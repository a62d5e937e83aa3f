using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Domain.Retention;
using MutualAssistance.Grains.Telemetry;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// The durable shell around one <see cref="AssistanceRequest"/>: it applies the rules, commits each change (new
/// events, state and read-model rows in one transaction), answers reads from memory, and keeps one reminder set to
/// the request's next clock event. Every wake-up (activation, reminder tick, <see cref="Wake"/>) evaluates all clocks
/// against the current time, so a late, repeated or skipped tick records each warning, breach and escalation exactly once.
/// A request shared with another node (<see cref="NodeMap.PlacementOf(FileRequest)"/>) is the same grain on both: where
/// it is ordered, it decides and records as a local one does and its commits mark the events for the peer; where it
/// follows, it records only what the peer sends and sends its callers' actions to the peer as commands. What differs
/// by placement is its role's (<see cref="IRequestRole"/>), chosen once the placement is known; the grain keeps the
/// Orleans side (turns, self-calls, reminders), the commit and the reads.
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
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IAssistanceRequestTurns, IRequestExchangeGrain, IRemindable, IRequestShell
{
    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(5);

    /// <summary>The request as stored (no new events), or null when nothing was filed under this id.</summary>
    private AssistanceRequest? current;

    /// <summary>The instant the reminder is set for, as far as this activation knows (null: not known).</summary>
    private DateTimeOffset? reminderFor;

    /// <summary>Retries a reminder update that failed, until it succeeds.</summary>
    private IGrainTimer? reminderRetry;

    private readonly RequestViews views = new();

    /// <summary>
    /// What the request's placement makes of it: local, or shared and ordered here, or shared and following the peer.
    /// Local until a filing says otherwise (set in <see cref="OnActivateAsync"/>, which runs before any call).
    /// </summary>
    private IRequestRole role = null!;

    private ReferenceDataSet Data => referenceData.Set;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        role = RoleFor(Placement.Local);
        current = await store.Read(this.GetPrimaryKey(), cancellationToken);
        if (current is { } request)
        {
            role = RoleFor(request.Filed);
            await role.Activated(request);
        }
    }

    private IRequestRole RoleFor(FileRequest filed) => RoleFor(nodes.PlacementOf(filed) ?? Placement.Local);

    /// <summary>The one place that tells the placements apart.</summary>
    private IRequestRole RoleFor(Placement placement) => placement.Role switch
    {
        RequestRole.Orders => new OrderingRole(this, placement, nodes, exchange, time, metrics, logger),
        RequestRole.Follows => new FollowingRole(this, placement, nodes, exchange, peers, time, metrics),
        _ => new LocalRole(this, time, metrics, logger),
    };

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

        role = RoleFor(request);
        var decision = AssistanceRequest.TryFile(this.GetPrimaryKey(), request, actor, time.GetUtcNow(), Data, role.ResponsibleHere);
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
        metrics.Filed(filed.Basis);
        LogFiled(filed.Id, filed.Basis, filed.Clocks.Length);
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
        return await role.Delivered(step, command.Action, (sequence, reply) => turns.Answered(sequence, reply, actor, command.Action));
    }

    public async Task<ActionStep> TakeAction(ActionCommand command, Actor actor)
    {
        if (current is not { } request || !nodes.ServesHere(actor.Authority))
        {
            return new ActionStep { Result = new ActionResult { Outcome = ActionOutcome.NotFound, Detail = "No such request." } };
        }

        return await role.TakeAction(request, command, actor);
    }

    public async Task<ActionResult> Answered(int sequence, PeerCommandReply reply, Actor actor, RequestAction action)
    {
        var peer = role.Placement.Peer?.Id ?? string.Empty;
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

        // Before the filing has arrived the request has no role yet: the change is judged by the role it would give it.
        if (RoleFor(incoming).Refuses(change, sender) is { } refusal)
        {
            return Refused(ReceiveOutcome.Invalid, refusal);
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

        return await role.Decide(request, command, sender);
    }

    public Task Decided(int sequence, PeerCommandReply reply) => Apply(sequence, reply, role.Placement.Peer?.Id ?? string.Empty);

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

    /// <summary>
    /// Applies a change from the peer and what its role does after one (<see cref="IRequestRole.Received"/>: a filing
    /// ordered here gets its own due times, a following node looks at its own clocks), then whatever held change now follows.
    /// </summary>
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
        if (isNew)
        {
            // The filing is here: the placement is known (a later change is of the same filing, so of the same placement).
            role = RoleFor(next!.Filed);
        }

        await Save(next! with { ReferenceVersion = Data.Version }, new OutboxMark(sender, next.Head.Sequence));
        await role.Received(isNew);

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
        LogReceiveRefused(this.GetPrimaryKey(), role.Placement.Peer?.Id ?? "?", outcome, detail);
        return new ReceiveResult { Outcome = outcome, Head = current?.Head ?? ChainHead.Genesis, Detail = detail };
    }

    /// <summary>The events after <paramref name="after"/> and the request as it stands, for a command's answer.</summary>
    private async Task<SharedChange?> ChangeSince(int after)
    {
        if (current is not { } request || after >= request.Head.Sequence || request.Head.Sequence - after > OrderingRole.MaxEventsInReply)
        {
            return null;
        }

        var events = await store.ReadHistory(request.Id, Math.Max(after, 0), OrderingRole.MaxEventsInReply);
        return events.IsEmpty || events[^1].Sequence != request.Head.Sequence
            ? null
            : new SharedChange { After = new ChainHead { Sequence = after, Hash = events[0].PreviousHash }, Events = events, State = request };
    }

    private Task<AssistanceRequestView> ViewFor(Actor? viewer) => role.Shown(views.Of(current!, viewer, Data));

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

        await referenceData.CatchUp(cause.ClosuresAtLeast);
        return await role.Recalculate(request, cause);
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

        await role.CatchUp(request);
    }

    AssistanceRequest IRequestShell.Request => current!;

    ReferenceDataSet IRequestShell.Data => Data;

    Task IRequestShell.Save(AssistanceRequest next, OutboxMark? received) => Save(next, received);

    void IRequestShell.Keep(AssistanceRequest request) => current = request;

    Task IRequestShell.SetReminder(bool force) => SetReminder(force);

    Task<AssistanceRequestView> IRequestShell.ViewFor(Actor? viewer) => ViewFor(viewer);

    Task<SharedChange?> IRequestShell.ChangeSince(int after) => ChangeSince(after);

    /// <summary>
    /// Commits the next version: its new events, its state and its read-model rows in one transaction. If the commit
    /// fails, this activation is dropped and the caller sees the failure.
    /// </summary>
    private async Task Save(AssistanceRequest next, OutboxMark? received = null)
    {
        var previous = current;
        var outbox = received ?? role.RecordedHere;
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
        var next = current?.NextEventAt(Data, role.ResponsibleHere);
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
    private partial void LogFiled(Guid requestId, string legalBasis, int clocks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: node {Node} answered command {Sequence} with the decision of command {Answered}; the command waits")]
    private partial void LogDecisionMismatch(Guid requestId, string node, int sequence, int? answered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: change from node {Node} refused ({Outcome}): {Detail}")]
    private partial void LogReceiveRefused(Guid requestId, string node, ReceiveOutcome outcome, string? detail);
}
