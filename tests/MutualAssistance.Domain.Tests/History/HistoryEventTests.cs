using System.Collections.Immutable;
using System.Globalization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.Notifications;
using MutualAssistance.Domain.Requests;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// Each history entry keeps a typed payload its text is made from (issue 23): the text stays what it was (and what the
/// hash covers), the payload is bound to it, and whoever needs a fact (the notifier's level) reads the payload.
/// </summary>
public sealed class HistoryEventTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    /// <summary>Acknowledged, then left until every warning, the breach and all three levels of the decision clock fell due (EscalationTests).</summary>
    private static AssistanceRequest Escalated()
    {
        var s = new Scenario().Do(Acknowledge, Scenario.Handler);
        s.At(Z("2025-06-01T00:00:00Z")).Evaluate();
        return s.Request;
    }

    [Fact]
    public void Every_entry_keeps_a_payload_that_makes_its_text_as_it_was_written_before()
    {
        var history = Escalated().NewEvents;
        Assert.All(history, e => Assert.True(e.Payload!.Makes(e.Event, e.ClockChanges), $"entry {e.Sequence}"));
        Assert.IsType<RequestFiled>(history[0].Payload);
        Assert.Equal(new ActionTaken { Action = Acknowledge }, history[1].Payload);

        var clockEvents = history.Skip(2).Select(e => e.Payload).ToArray();
        Assert.Equal(new ClockWarned { Clock = ClockKind.Decision, DueAt = Z("2025-03-18T09:00:00Z"), Percent = 50 }, clockEvents[0]);
        Assert.Equal(new ClockBreached { Clock = ClockKind.Decision, DueAt = Z("2025-04-02T16:00:00Z") }, clockEvents[2]);
        var step2 = ShippedData.Set.Policies.LadderFor(LegalBases.Eio, ClockKind.Decision).Steps.Single(s => s.Level == 2);
        var level2 = Assert.IsType<ClockEscalated>(clockEvents[4]);
        Assert.Equal((ClockKind.Decision, 2, step2.Addressee, step2.Duty, Z("2025-04-09T16:00:00Z")), (level2.Clock, level2.Level, level2.Addressee, level2.Duty, level2.DueAt));

        // The text, in the very wording entries had before payloads were kept.
        Assert.Equal("escalation", history[6].Event);
        Assert.Equal(["decision: escalation - level 2: head of the central authority (due 2025-04-09T16:00:00Z)"], history[6].ClockChanges);
        var step1 = ShippedData.Set.Policies.LadderFor(LegalBases.Eio, ClockKind.Decision).Steps.Single(s => s.Level == 1);
        Assert.Equal([$"decision: escalation - level 1: supervisor of the responsible side; duty: {step1.Duty} (due 2025-04-02T16:00:00Z)"], history[5].ClockChanges);
        Assert.Equal(step1.Duty, ((ClockEscalated)history[5].Payload!).Duty);
        Assert.Equal(["decision: escalation - level 3: consultation with the other state (due 2025-05-02T16:00:00Z)"], history[7].ClockChanges);
        Assert.Equal(["decision: warning - 50% of the period has passed (due 2025-03-18T09:00:00Z)"], history[2].ClockChanges);
        Assert.Equal(["decision: breach - the period has ended (due 2025-04-02T16:00:00Z)"], history[4].ClockChanges);
    }

    [Fact]
    public void An_entry_without_a_payload_is_read_from_its_text_into_the_same_payload()
    {
        var history = Escalated().NewEvents;
        foreach (var entry in history)
        {
            var legacy = entry with { Payload = null };
            Assert.Equal(entry.Payload, legacy.What);
            Assert.Equal(entry.Payload, HistoryEventText.Read(entry.Event, entry.ClockChanges));
        }

        // Text in no wording this release makes is kept as it is, by its name: still shown and typed by its name, no level read.
        var odd = HistoryEventText.Read("escalation", ["decision: escalation - stage two: the minister (due 2025-04-09T16:00:00Z)"]);
        Assert.Equal(new UnreadEvent { EventName = "escalation", ClockChange = "decision: escalation - stage two: the minister (due 2025-04-09T16:00:00Z)" }, odd);
        Assert.Null(NotificationRule.LevelOf(odd));
        Assert.IsType<UnreadEvent>(HistoryEventText.Read("something-new", []));
    }

    [Fact]
    public void The_payload_is_stored_as_versioned_json_and_read_back_whatever_order_its_keys_come_in()
    {
        foreach (var entry in Escalated().NewEvents)
        {
            Assert.Equal(entry.Payload, HistoryEventJson.Read(HistoryEventJson.Write(entry.Payload!)));
        }

        var json = HistoryEventJson.Write(new ClockEscalated { Clock = ClockKind.Decision, DueAt = Z("2025-04-09T16:00:00Z"), Level = 2, Addressee = "Deputy", Duty = "decide" });
        Assert.Contains("\"type\":\"clock-escalation\"", json, StringComparison.Ordinal);
        Assert.Contains("\"version\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"clock\":\"decision\"", json, StringComparison.Ordinal);

        // jsonb orders keys by length: "type" is not first.
        var reordered = HistoryEventJson.Read("""{"duty": "decide", "type": "clock-escalation", "clock": "decision", "dueAt": "2025-04-09T16:00:00+00:00", "level": 2, "version": 1, "addressee": "Deputy"}""");
        Assert.Equal(2, NotificationRule.LevelOf(reordered!));

        // A later release's wording or kind: read from the text instead.
        Assert.Null(HistoryEventJson.Read("""{"type": "clock-escalation", "version": 2, "clock": "decision", "dueAt": "2025-04-09T16:00:00+00:00", "level": 2, "addressee": "Deputy"}"""));
        Assert.Null(HistoryEventJson.Read("""{"type": "something-new", "version": 1}"""));
        Assert.Equal(0, NotificationRule.LevelOf(HistoryEventJson.Of(null, "breach", ["decision: breach - the period has ended (due 2025-04-02T16:00:00Z)"])));
    }

    [Fact]
    public void Hashes_are_what_they_were_and_a_payload_that_no_longer_makes_its_text_breaks_the_chain_at_its_entry()
    {
        var request = Escalated();
        var history = request.NewEvents;

        // Entries as the previous release wrote them (no payload) verify, with the very same hashes.
        var legacy = history.Select(e => e with { Payload = null }).ToImmutableArray();
        Assert.True(HashChain.Verify(legacy, request.Head, request.HistorySalt).Intact);
        Assert.True(HashChain.Verify(history, request.Head, request.HistorySalt).Intact);

        // An entry as the previous release hashed it: the hash input did not change.
        var old = new HistoryEntry
        {
            Sequence = 1, At = Z("2025-04-09T16:00:00Z"), Event = "escalation", StatusAfter = RequestStatus.Acknowledged,
            StatusBefore = RequestStatus.Acknowledged, ClockChanges = ["decision: escalation - level 2: Deputy Prosecutor General (due 2025-04-09T16:00:00Z)"],
            PreviousHash = HashChain.Genesis,
        };
        Assert.Equal("2052beb2001a3a429b6520e5a4819874c544f7796f299ea57bcd99a887045fc7", HashChain.HashOf(old)); // computed apart from this code
        Assert.Equal(HashChain.HashOf(old), HashChain.HashOf(old with { Payload = old.What }));

        // The level raised in the stored payload, hash untouched: caught at that entry.
        var level2 = (ClockEscalated)history[6].Payload!;
        var forged = history.SetItem(6, history[6] with { Payload = level2 with { Level = 3 } });
        var verdict = HashChain.Verify(forged);
        Assert.False(verdict.Intact);
        Assert.Equal(7, verdict.BrokenAt);
        Assert.Contains("payload", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_notifier_reads_the_level_from_the_payload()
    {
        var history = Escalated().NewEvents;
        Assert.Equal([null, null, null, null, 0, 1, 2, 3], history.Select(e => NotificationRule.LevelOf(e.Payload!)));
    }

    [Fact]
    public void Events_received_from_a_peer_carry_text_only_and_are_kept_typed_here()
    {
        var s = new Scenario();
        var filed = s.Request;
        var escalated = s.Do(Acknowledge, Scenario.Handler).At(Z("2025-06-01T00:00:00Z"));
        escalated.Evaluate();
        var sent = escalated.Request;

        // ma-exchange/1 carries no payload.
        var wire = sent.NewEvents.Where(e => e.Sequence > 1).Select(e => e with { Payload = null }).ToImmutableArray();
        var (outcome, next, _) = AssistanceRequest.Receive(filed.Stored(), new SharedChange { After = filed.Head, Events = wire, State = sent.Stored() });
        Assert.Equal(ReceiveOutcome.Applied, outcome);
        Assert.Equal(sent.NewEvents.Skip(1).Select(e => e.Payload), next!.NewEvents.Select(e => e.Payload));
    }

    [Fact]
    public void A_peers_clock_event_in_another_wording_is_recorded_as_it_came()
    {
        var peers = new ClockEvent(1, ClockKind.Decision, ClockEventKind.Escalation, Z("2025-04-09T16:00:00Z"), 2, "level 2: the minister; duty: call");
        var typed = Assert.IsType<ClockEscalated>(ClockEventRecorded.Of(peers));
        Assert.Equal(("the minister", "call"), (typed.Addressee, typed.Duty));

        var odd = peers with { Description = "stage two: the minister" };
        var kept = Assert.IsType<UnreadEvent>(ClockEventRecorded.Of(odd));
        Assert.Equal("decision: escalation - stage two: the minister (due 2025-04-09T16:00:00Z)", kept.Change);
        Assert.IsType<UnreadEvent>(ClockEventRecorded.Of(peers with { Value = 3 })); // says level 2, claims 3
    }
}
