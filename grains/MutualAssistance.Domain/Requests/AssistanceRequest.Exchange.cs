using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

public sealed partial record AssistanceRequest
{
    /// <summary>The event that records an action the ordering node refused to a command from the following node.</summary>
    public const string RefusedEvent = "action-refused";

    /// <summary>The last command from the following node this (ordering) node decided.</summary>
    [Id(18)] public PeerCommandDecision? LastPeerCommand { get; init; }

    /// <summary>
    /// Every decision this (ordering) node made on the following node's commands that changed the request, by
    /// command: a command sent again gets its own decision back, never another command's. This node's own
    /// bookkeeping: it does not travel (the follower keeps the decisions it received beside its commands).
    /// </summary>
    [Id(21)]
    [System.Text.Json.Serialization.JsonIgnore]
    public ImmutableArray<PeerCommandDecision> PeerDecisions { get; init; } = [];

    /// <summary>This node's decision on the following node's command <paramref name="sequence"/>, or null when it made none that it kept.</summary>
    public PeerCommandDecision? DecisionOn(int sequence) =>
        PeerDecisions.IsDefault ? null : PeerDecisions.FirstOrDefault(d => d.Sequence == sequence)
            ?? (LastPeerCommand?.Sequence == sequence ? LastPeerCommand : null);

    /// <summary>
    /// Decides the following node's command <paramref name="command"/> on the ordering node. An action: its rules run
    /// as for a local caller; applied, its events; refused (the other side acted meanwhile, say), one
    /// <see cref="RefusedEvent"/> event naming the action and why, so both nodes' histories show the refusal. Clock
    /// events: those not yet recorded are recorded. Due times: the clocks move to them, recorded as a recalculation.
    /// The decision is kept in the state, by command: a command decided before gets its own decision again and
    /// changes nothing. A command not decided before is decided now, whatever its number: the sender sends its commands
    /// one at a time in order, so a lower number than the last decided one is a command this node never saw (a state
    /// written before commands were kept by number), not a replay of another. A command that changed nothing is not
    /// kept (sent again, it changes nothing again).
    /// </summary>
    /// <param name="evaluatesHere">The clocks whose events this (ordering) node records itself.</param>
    public (AssistanceRequest Next, PeerCommandDecision Decision) DecidePeerCommand(
        PeerCommand command, string sender, DateTimeOffset now, ReferenceDataSet data, Func<string, bool>? evaluatesHere = null)
    {
        if (DecisionOn(command.Sequence) is { } decided)
        {
            return (this, decided);
        }

        var unchanged = new PeerCommandDecision { Sequence = command.Sequence, Outcome = ActionOutcome.Applied, RecordedAt = Head.Sequence };
        if (command.Action is null)
        {
            var next = command.ClockEvents.IsDefaultOrEmpty ? WithDueTimes(command.DueTimes, sender, now) : WithClockEvents(command.ClockEvents, now);
            if (next is null)
            {
                return (this, unchanged);
            }

            var recorded = unchanged with { RecordedAt = next.Head.Sequence };
            return (next.Keeping(recorded), recorded);
        }

        if (command.Actor is null)
        {
            throw new MalformedPeerCommandException($"Command {command.Sequence} of request {Id} names an action but no actor.");
        }

        var decision = Act(command.Action, command.Actor, now, data, evaluatesHere);
        if (decision.Outcome == ActionOutcome.Applied)
        {
            var applied = decision.Request;
            var recorded = new PeerCommandDecision { Sequence = command.Sequence, Outcome = ActionOutcome.Applied, RecordedAt = applied.Head.Sequence };
            return (applied.Keeping(recorded), recorded);
        }

        var detail = decision.Detail ?? string.Join("; ", decision.Errors.Select(e => $"{e.Key}: {e.Value}"));
        var refused = (this with { Version = Version + 1 }).Record(
            new PeerActionRefused(), command.Actor, $"{WireNames.Of(command.Action.Action)} refused ({WireNames.Of(decision.Outcome)}): {detail}", Status, Status, [], now);
        var refusal = new PeerCommandDecision { Sequence = command.Sequence, Outcome = decision.Outcome, Detail = detail, RecordedAt = refused.Head.Sequence };
        return (refused.Keeping(refusal), refusal);
    }

    private AssistanceRequest Keeping(PeerCommandDecision decision) => this with
    {
        LastPeerCommand = LastPeerCommand is { } last && last.Sequence > decision.Sequence ? last : decision,
        PeerDecisions = (PeerDecisions.IsDefault ? [] : PeerDecisions).Add(decision),
    };

    /// <summary>The clock events not yet recorded, recorded; null when every one was.</summary>
    private AssistanceRequest? WithClockEvents(ImmutableArray<Clocks.ClockEvent> events, DateTimeOffset now)
    {
        var fresh = events.Where(e => Clocks.FirstOrDefault(c => c.Id == e.ClockId) is { } clock && clock.IsTicking && !clock.IsRecorded(e))
            .OrderBy(e => e.DueAt).ThenBy(e => e.ClockId).ThenBy(e => e.Event).ToImmutableArray();
        return fresh.IsEmpty ? null : RecordClockEvents(fresh, now);
    }

    /// <summary>Open clocks moved to the due times their responsible node computed; null when none moves.</summary>
    private AssistanceRequest? WithDueTimes(ImmutableArray<ClockDue> dueTimes, string sender, DateTimeOffset now)
    {
        var changes = ImmutableArray.CreateBuilder<string>();
        var clocks = Clocks.Select(clock =>
        {
            if (!clock.IsOpen || clock.State == ClockState.Paused || dueTimes.FirstOrDefault(d => d.ClockId == clock.Id) is not { } due || due.DueAt == clock.DueAt)
            {
                return clock;
            }

            changes.Add($"{WireNames.Of(clock.Kind)}: due moved from {Instant(clock.DueAt)} to {Instant(due.DueAt)}");
            return clock with { DueAt = due.DueAt };
        }).ToImmutableArray();
        return changes.Count == 0
            ? null
            : (this with { Clocks = clocks, Version = Version + 1 }).Record(new DueTimesRecalculated(), null, $"due times computed by node {sender} on its calendar", Status, Status, changes.ToImmutable(), now);
    }

    /// <summary>
    /// Applies a change received from the peer to <paramref name="current"/> (null: the request is new here). The
    /// events must link to this node's head and to each other, and the state must end where they end; a change that
    /// was here already is a duplicate, one after a gap is held. <paramref name="storedHashAt"/> is the hash of this
    /// node's event at the change's last sequence, when that is behind the head (to tell a replay from a divergence).
    /// </summary>
    public static (ReceiveOutcome Outcome, AssistanceRequest? Next, string? Detail) Receive(AssistanceRequest? current, SharedChange change, string? storedHashAt = null)
    {
        var head = current?.Head ?? ChainHead.Genesis;
        if (change.Events.IsDefaultOrEmpty)
        {
            return (ReceiveOutcome.Invalid, null, "The change carries no events.");
        }

        if (change.State.Id != (current?.Id ?? change.State.Id))
        {
            return (ReceiveOutcome.Invalid, null, "The change's state is another request's.");
        }

        // The chain of the carried events, recomputed: each follows the one before, each hash covers its content.
        var link = change.After;
        var linked = ImmutableArray.CreateBuilder<HistoryEntry>(change.Events.Length);
        foreach (var entry in change.Events)
        {
            var relinked = HashChain.Link(link, entry, change.State.HistorySalt);
            if (relinked.Sequence != entry.Sequence || relinked.PreviousHash != entry.PreviousHash || relinked.Hash != entry.Hash)
            {
                return (ReceiveOutcome.Invalid, null, $"Event {entry.Sequence} does not follow the one before it or does not match its hash.");
            }

            // With the reason's digest as recomputed here, whatever the sender wrote, and its payload read from its text
            // (the one form ma-exchange/1 carries), so that the events a peer recorded are kept typed here too.
            linked.Add(relinked with { Payload = HistoryEventText.Read(entry.Event, entry.ClockChanges) });
            link = ChainHead.Of(entry);
        }

        if (change.State.Head != link || change.State.LastEventAt != change.Events[^1].At)
        {
            return (ReceiveOutcome.Invalid, null, "The state does not end at the change's last event.");
        }

        if (change.After.Sequence > head.Sequence)
        {
            return (ReceiveOutcome.Held, null, $"Events after {change.After.Sequence} wait for {head.Sequence + 1} to {change.After.Sequence}.");
        }

        if (change.LastSequence <= head.Sequence)
        {
            var here = change.LastSequence == head.Sequence ? head.Hash : storedHashAt;
            return here == change.Events[^1].Hash
                ? (ReceiveOutcome.Duplicate, null, null)
                : (ReceiveOutcome.Diverged, null, $"Event {change.LastSequence} here has another hash.");
        }

        // Overlapping or exactly following: the event at this node's head must be the same one.
        var skip = head.Sequence - change.After.Sequence;
        var linkHash = skip == 0 ? change.After.Hash : change.Events[skip - 1].Hash;
        if (linkHash != head.Hash)
        {
            return (ReceiveOutcome.Diverged, null, $"Event {head.Sequence} here has another hash than the one the change follows.");
        }

        var next = change.State with { NewEvents = linked.MoveToImmutable()[skip..] };

        // ma-exchange/1 carries no consultedAt: a consultation (UNTOC art. 18(26)) is read from its history entry, so
        // that a refusal or postponement checked on this node sees it as the node that recorded it does.
        next = next with
        {
            ConsultedAt = current?.ConsultedAt
                ?? next.NewEvents.FirstOrDefault(e => e.Payload is History.ActionTaken { Action: Contracts.Requests.RequestAction.Consult })?.At,
        };
        if (current?.ErasedAt is { } erasedAt)
        {
            // Erased here: the peer's copy does not bring the personal data back. Its events are kept, their reasons
            // only by their digests (the store writes no reason of an erased request), so the chain still verifies.
            next = next.Erased(erasedAt) with { NewEvents = [.. next.NewEvents.Select(e => e with { Reason = null })] };
        }

        return (ReceiveOutcome.Applied, next, null);
    }
}

/// <summary>A command from the following node that names an action but no actor: refused, nothing changed.</summary>
public sealed class MalformedPeerCommandException(string message) : Exception(message);
