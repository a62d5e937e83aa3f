using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// The exchange's rules as plain C#: where a request lives and who orders it (<see cref="NodeMap"/>), applying a
/// change from the peer (<see cref="AssistanceRequest.Receive"/>), and deciding the following node's commands
/// (<see cref="AssistanceRequest.DecidePeerCommand"/>).
/// </summary>
public sealed class ExchangeRulesTests
{
    private static readonly Peer Cn = new("CN", new Uri("http://cn.example/"), ["CN-MOJ", "CN-SPP"]);
    private static readonly NodeMap Kz = new("KZ", servesAll: false, ["KZ-GP", "KZ-SC"], [Cn]);

    [Fact]
    public void The_requested_sides_node_orders_a_shared_request_and_a_request_of_one_node_stays_local()
    {
        Assert.Equal(new Placement(RequestRole.Follows, Cn), Kz.PlacementOf("KZ-GP", "CN-MOJ"));
        Assert.Equal(new Placement(RequestRole.Orders, Cn), Kz.PlacementOf("CN-SPP", "KZ-SC"));
        Assert.Equal(Placement.Local, Kz.PlacementOf("KZ-GP", "KZ-SC"));
        Assert.Null(Kz.PlacementOf("CN-MOJ", "CN-SPP"));
        Assert.Equal(Placement.Local, NodeMap.Alone("ALL").PlacementOf("KZ-GP", "CN-MOJ"));
    }

    [Fact]
    public void A_filing_to_an_authority_no_node_serves_names_the_field()
    {
        var filing = new Scenario().Request.Filed;
        Assert.Empty(Kz.FilingErrors(filing));
        Assert.Contains("RU-GP", Kz.FilingErrors(filing with { RequestedAuthority = "RU-GP" })["requestedAuthority"].ToString(), StringComparison.Ordinal);
        Assert.True(Kz.FilingErrors(filing with { RequestingAuthority = "CN-SPP" }).ContainsKey("requestedAuthority"));
    }

    [Fact]
    public void A_change_that_follows_is_applied_a_replay_is_a_duplicate_a_gap_is_held_and_another_history_diverges()
    {
        var s = new Scenario();
        var filed = s.Request;
        var acknowledged = s.Do(RequestAction.Acknowledge, Scenario.Handler).Request;
        var here = filed.Stored();

        var change = Change(filed.Head, acknowledged);
        var (outcome, next, _) = AssistanceRequest.Receive(here, change);
        Assert.Equal(ReceiveOutcome.Applied, outcome);
        Assert.Equal(RequestStatus.Acknowledged, next!.Status);
        Assert.Equal(acknowledged.Head, next.Head);
        Assert.Equal(change.Events, next.NewEvents);

        Assert.Equal(ReceiveOutcome.Duplicate, AssistanceRequest.Receive(next.Stored(), change).Outcome);

        var accepted = s.Do(RequestAction.Accept, Scenario.Handler).Request;
        Assert.Equal(ReceiveOutcome.Held, AssistanceRequest.Receive(here, Change(acknowledged.Head, accepted)).Outcome);

        // The same sequence with another event: the histories disagree, nothing is applied.
        var foreign = Change(filed.Head, Relinked(filed, acknowledged));
        Assert.Equal(ReceiveOutcome.Diverged, AssistanceRequest.Receive(acknowledged.Stored(), foreign).Outcome);
    }

    [Fact]
    public void A_change_received_for_a_request_erased_here_keeps_it_erased_and_its_events_by_their_digests()
    {
        var s = new Scenario(adjust: f => f with { PersonsConcerned = [new PersonConcerned { Name = "A. Person", Role = "suspect" }] });
        var filed = s.Request;
        var asked = s.Do(RequestAction.RequestInformation, Scenario.Handler, c => c with { Reason = "The statements of A. Person" }).Request;
        var erasedHere = filed.Stored().Erased(s.Now);

        var (outcome, next, _) = AssistanceRequest.Receive(erasedHere, Change(filed.Head, asked));
        Assert.Equal(ReceiveOutcome.Applied, outcome);
        Assert.Equal(erasedHere.ErasedAt, next!.ErasedAt);
        Assert.Empty(next.Filed.PersonsConcerned);
        Assert.Equal(string.Empty, next.Filed.SummaryOfFacts);
        Assert.NotEqual(filed.FilingFingerprint, next.FilingFingerprint); // no digest of the personal data is left...
        Assert.True(next.IsSameFiling(asked.Filed)); // ...and the peer's copy is still known for the same request
        Assert.Equal(RequestStatus.AwaitingInformation, next.Status);
        var received = Assert.Single(next.NewEvents);
        Assert.Null(received.Reason);
        Assert.NotNull(received.ReasonDigest);
        Assert.Equal(asked.Head, next.Head); // the same chain as the peer's
    }

    [Fact]
    public void A_change_whose_events_do_not_match_their_hashes_or_state_is_invalid()
    {
        var s = new Scenario();
        var filed = s.Request;
        var acknowledged = s.Do(RequestAction.Acknowledge, Scenario.Handler).Request;
        var change = Change(filed.Head, acknowledged);

        var altered = change with { Events = [change.Events[0] with { Reason = "altered" }] };
        Assert.Equal(ReceiveOutcome.Invalid, AssistanceRequest.Receive(filed.Stored(), altered).Outcome);
        var stale = change with { State = filed.Stored() };
        Assert.Equal(ReceiveOutcome.Invalid, AssistanceRequest.Receive(filed.Stored(), stale).Outcome);
        Assert.Equal(ReceiveOutcome.Invalid, AssistanceRequest.Receive(filed.Stored(), change with { Events = [] }).Outcome);
    }

    [Fact]
    public void A_command_is_decided_once_applied_or_refused_with_an_event_and_sent_again_it_gets_the_same_decision()
    {
        var s = new Scenario();
        s.Do(RequestAction.Accept, Scenario.Handler);
        var withdraw = Command(1, RequestAction.Withdraw, expectedVersion: s.Request.Version);
        var (withdrawn, decision) = s.Request.DecidePeerCommand(withdraw, "KZ", s.Now, ShippedData.Set);
        Assert.Equal(ActionOutcome.Applied, decision.Outcome);
        Assert.Equal(RequestStatus.Withdrawn, withdrawn.Status);
        Assert.Equal(decision, withdrawn.LastPeerCommand);

        var (again, same) = withdrawn.Stored().DecidePeerCommand(withdraw, "KZ", s.Now, ShippedData.Set);
        Assert.Equal(decision, same);
        Assert.Equal(withdrawn.Version, again.Version);

        // Executed meanwhile on the ordering node: the withdrawal is refused, and the refusal is an event.
        var t = new Scenario();
        t.Do(RequestAction.Accept, Scenario.Handler);
        var seen = t.Request.Version;
        t.Do(RequestAction.Execute, Scenario.Handler);
        var (refused, refusal) = t.Request.Stored().DecidePeerCommand(Command(1, RequestAction.Withdraw, seen), "KZ", t.Now, ShippedData.Set);
        Assert.Equal(ActionOutcome.VersionMismatch, refusal.Outcome);
        Assert.Equal(RequestStatus.Executed, refused.Status);
        Assert.Equal(AssistanceRequest.RefusedEvent, Assert.Single(refused.NewEvents).Event);
        Assert.Equal(refused.Head.Sequence, refusal.RecordedAt);
    }

    [Fact]
    public void A_command_overtaken_by_a_later_one_gets_its_own_decision_and_the_later_one_keeps_its_own()
    {
        // The outside chaos run's case: KZ's command 1 (provide information on version 2) was held up on a cut link,
        // its command 2 (withdraw on version 2) reached CN first and was applied. Command 1 arriving afterwards was
        // answered with command 2's decision, which KZ could never match to it.
        var s = new Scenario();
        s.Do(RequestAction.RequestInformation, Scenario.Handler);
        var seen = s.Request.Version;
        var (withdrawn, second) = s.Request.Stored().DecidePeerCommand(Command(2, RequestAction.Withdraw, seen), "KZ", s.Now, ShippedData.Set);
        Assert.Equal(ActionOutcome.Applied, second.Outcome);

        var (refused, first) = withdrawn.Stored().DecidePeerCommand(Command(1, RequestAction.ProvideInformation, seen), "KZ", s.Now, ShippedData.Set);
        Assert.Equal(1, first.Sequence);
        Assert.NotEqual(ActionOutcome.Applied, first.Outcome);
        Assert.Equal(AssistanceRequest.RefusedEvent, Assert.Single(refused.NewEvents).Event);
        Assert.Equal(RequestStatus.Withdrawn, refused.Status);

        // Sent again, each command gets its own decision and changes nothing.
        var stored = refused.Stored();
        Assert.Equal((stored, first), stored.DecidePeerCommand(Command(1, RequestAction.ProvideInformation, seen), "KZ", s.Now, ShippedData.Set));
        Assert.Equal((stored, second), stored.DecidePeerCommand(Command(2, RequestAction.Withdraw, seen), "KZ", s.Now, ShippedData.Set));
        Assert.Equal(second, stored.LastPeerCommand);
    }

    [Fact]
    public void Clock_events_sent_by_the_responsible_node_are_recorded_once()
    {
        var s = new Scenario();
        s.Do(RequestAction.RequestInformation, Scenario.Handler);
        var information = s.Request.Clocks.Single(c => c.Kind == ClockKind.Information);
        var late = s.Request.Clocks.Single(c => c.Id == information.Id).Due(information.DueAt!.Value.AddDays(1), ShippedData.Set.Policies.Ladder).ToImmutableArray();
        Assert.Contains(late, e => e.Event == Domain.Clocks.ClockEventKind.Breach);

        var command = new PeerCommand { Sequence = 1, BasedOn = s.Request.Head.Sequence, IssuedAt = s.Now, ClockEvents = late };
        var (recorded, decision) = s.Request.Stored().DecidePeerCommand(command, "KZ", s.Now, ShippedData.Set);
        Assert.Equal(ClockState.Breached, recorded.Clocks.Single(c => c.Id == information.Id).State);
        Assert.Equal(late.Length, recorded.NewEvents.Length);

        var (unchanged, second) = recorded.Stored().DecidePeerCommand(command with { Sequence = 2 }, "KZ", s.Now, ShippedData.Set);
        Assert.Equal(recorded.Version, unchanged.Version);
        Assert.Equal(ActionOutcome.Applied, second.Outcome);
        Assert.Equal(decision, unchanged.LastPeerCommand);
    }

    [Fact]
    public void Untoc_art_18_26_a_consultation_received_from_the_peer_lets_this_node_refuse()
    {
        // ma-exchange/1 carries no consultedAt: the receiving node reads the consultation from its history entry.
        var s = new Scenario("untoc");
        var filed = s.Request;
        var consulted = s.Do(RequestAction.Consult, Scenario.Handler, c => c with { Note = "Proposed conditions of use." }).Request;
        var asOnTheWire = Change(filed.Head, consulted with { ConsultedAt = null });

        var (outcome, next, _) = AssistanceRequest.Receive(filed.Stored(), asOnTheWire);
        Assert.Equal(ReceiveOutcome.Applied, outcome);
        Assert.Equal(consulted.ConsultedAt, next!.ConsultedAt);
        Assert.Contains(RequestAction.Refuse, next.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.DoesNotContain(RequestAction.Refuse, filed.AllowedActions(Scenario.Handler, ShippedData.Set));
    }

    private static SharedChange Change(ChainHead after, AssistanceRequest state)
    {
        var events = state.NewEvents.Where(e => e.Sequence > after.Sequence).ToImmutableArray();
        return new SharedChange { After = after, Events = events, State = state.Stored() };
    }

    /// <summary>A request whose event 2 is another one than <paramref name="acknowledged"/>'s (refused instead of acknowledged).</summary>
    private static AssistanceRequest Relinked(AssistanceRequest filed, AssistanceRequest acknowledged)
    {
        var refused = filed.Stored().DecidePeerCommand(Command(1, RequestAction.Withdraw, filed.Version), "KZ", filed.FiledAt, ShippedData.Set).Next;
        Assert.NotEqual(acknowledged.Head.Hash, refused.Head.Hash);
        return refused;
    }

    private static PeerCommand Command(int sequence, RequestAction action, int? expectedVersion) => new()
    {
        Sequence = sequence,
        Action = new ActionCommand { Action = action, Reason = "because", ExpectedVersion = expectedVersion },
        Actor = Scenario.Filer,
        BasedOn = 0,
        IssuedAt = DateTimeOffset.UnixEpoch,
    };
}
