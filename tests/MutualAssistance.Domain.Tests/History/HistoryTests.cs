using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

public sealed class HistoryTests
{
    private static Scenario Worked() => new Scenario()
        .Do(Acknowledge, Scenario.Handler, c => c with { RequestedReference = "CN-2025-77" })
        .Do(Accept, Scenario.Handler, c => c with { Note = "Witness Ivanova to be heard by video." })
        .Do(Execute, Scenario.Handler)
        .Do(Close, Scenario.Filer);

    [Fact]
    public void Every_change_is_an_event_with_who_when_what_and_the_statuses()
    {
        var history = Worked().Request.NewEvents;
        Assert.Equal(["file", "acknowledge", "accept", "execute", "close"], history.Select(e => e.Event));
        var accept = history[2];
        Assert.Equal(Scenario.Handler, accept.Actor);
        Assert.Equal(RequestStatus.Acknowledged, accept.StatusBefore);
        Assert.Equal(RequestStatus.Accepted, accept.StatusAfter);
        Assert.Contains("decision: met", accept.ClockChanges);
        Assert.Contains(accept.ClockChanges, c => c.StartsWith("execution: started", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3, 4, 5], history.Select(e => e.Sequence));
    }

    [Fact]
    public void An_action_with_a_reason_and_a_note_keeps_both_and_a_note_alone_is_kept_as_it_is()
    {
        var s = new Scenario()
            .Do(Acknowledge, Scenario.Handler, c => c with { Note = "Received by courier." })
            .Do(RequestInformation, Scenario.Handler, c => c with { Reason = "The bank's name is missing.", Note = "Call the desk first." });
        var history = s.Request.NewEvents;
        Assert.Equal("Received by courier.", history[1].Reason);
        Assert.Equal("The bank's name is missing.\nNote: Call the desk first.", history[2].Reason);
    }

    [Fact]
    public void The_chain_verifies_and_any_tampering_breaks_it_where_it_happened()
    {
        var request = Worked().Request;
        var history = request.NewEvents;
        Assert.True(HashChain.Verify(history, salt: request.HistorySalt).Intact);

        // The hash covers the reason's keyed digest: a changed reason breaks the chain where the salt is known...
        var altered = history.SetItem(2, history[2] with { Reason = "something else" });
        var verdict = HashChain.Verify(altered, salt: request.HistorySalt);
        Assert.False(verdict.Intact);
        Assert.Equal(3, verdict.BrokenAt);

        // ...and a changed digest breaks it anywhere; without the reasons (erased) the chain still verifies.
        Assert.Equal(3, HashChain.Verify(history.SetItem(2, history[2] with { ReasonDigest = HashChain.DigestOf(request.HistorySalt!, "forged") })).BrokenAt);
        Assert.True(HashChain.Verify(history.Select(e => e with { Reason = null })).Intact);

        var removed = history.RemoveAt(1);
        Assert.Equal(2, HashChain.Verify(removed).BrokenAt);

        // A forger who rehashes an entry drops its payload too (a payload that no longer makes the text is caught at the
        // entry itself: HistoryEventTests); the chain still breaks at the next link.
        var rehashed = history.SetItem(1, history[1] with { Event = "forged", Payload = null });
        rehashed = rehashed.SetItem(1, rehashed[1] with { Hash = HashChain.HashOf(rehashed[1]) });
        Assert.Equal(3, HashChain.Verify(rehashed).BrokenAt);
    }
}
