using System.Globalization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Instruments;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Testing;
using static MutualAssistance.Contracts.Requests.RequestAction;

namespace MutualAssistance.Domain.Tests;

/// <summary>
/// UNTOC art. 18(24): "The requested State Party shall respond to reasonable requests by the requesting State Party on
/// progress of its handling of the request"; art. 18(26): "Before refusing a request pursuant to paragraph 21 of this
/// article or postponing its execution pursuant to paragraph 25 of this article, the requested State Party shall consult
/// with the requesting State Party". UNCAC art. 46(24) and 46(26) word the same. Which bases carry them is the
/// instrument file's <c>duties</c>, not code: the test data binds KZ and CN to UNTOC; the SCO Shanghai convention
/// (<see cref="TestReferenceData.TreatyBasis"/>) words neither.
/// </summary>
public sealed class ProgressAndConsultationTests
{
    private static DateTimeOffset Z(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    [Fact]
    public void The_catalogue_says_which_instruments_word_the_duties_with_their_articles()
    {
        var instruments = ShippedData.AsShipped.Instruments;
        Assert.Equal(["art. 18(24)", "art. 18(26)", "art. 18(24)"],
            new[] { InstrumentDuty.AnswerProgressRequests, InstrumentDuty.ConsultBeforeRefusal, InstrumentDuty.DeadlineWithReasons }.Select(d => instruments.InstrumentOf("untoc")!.Obligation(d)?.Article));
        Assert.Equal("art. 46(26)", instruments.InstrumentOf("uncac")!.Obligation(InstrumentDuty.ConsultBeforeRefusal)?.Article);

        // The UN cybercrime convention's general MLA probably mirrors them (art. 40), but its paragraphs were not read: not claimed.
        Assert.Empty(instruments.InstrumentOf("uncc-mla")!.Obligations);
        Assert.Empty(instruments.InstrumentOf(TestReferenceData.TreatyBasis)!.Obligations);
        Assert.Empty(instruments.InstrumentOf("eio")!.Obligations);
    }

    [Theory]
    [InlineData("\"answer-progress-requests\"", "\"answer-everything\"", "duties[0].duty 'answer-everything' is not one of")]
    [InlineData("\"duty\": \"consult-before-refusal\", \"article\": \"art. 18(26)\"", "\"duty\": \"consult-before-refusal\"", "'duties[1].article' is required")]
    [InlineData("\"deadline-with-reasons\"", "\"consult-before-refusal\"", "the duty consult-before-refusal is listed twice")]
    public void A_duty_the_loader_does_not_know_without_its_article_or_listed_twice_stops_the_load(string shipped, string broken, string message)
    {
        var folder = Directory.CreateTempSubdirectory("ma-duties-").FullName;
        try
        {
            var text = File.ReadAllText(Path.Combine(TestReferenceData.ShippedFolder, "instruments", "untoc.json"));
            Assert.Contains(shipped, text, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "untoc.json"), text.Replace(shipped, broken, StringComparison.Ordinal));
            var e = Assert.Throws<InvalidDataException>(() => InstrumentFiles.Load(folder, ShippedData.Set.Authorities));
            Assert.Contains("instruments/untoc.json: ", e.Message, StringComparison.Ordinal);
            Assert.Contains(message, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Untoc_art_18_24_an_ask_on_progress_runs_the_requested_sides_progress_clock_until_the_answer_one_ask_at_a_time()
    {
        var s = new Scenario("untoc");
        Assert.Contains(AskProgress, s.Request.AllowedActions(Scenario.Filer, ShippedData.Set));
        Assert.DoesNotContain(AskProgress, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.DoesNotContain(ReportProgress, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set)); // nothing asked yet
        Assert.Equal(ActionOutcome.NotAllowedInStatus, s.Try(ReportProgress, Scenario.Handler, c => c with { Note = "unasked" }).Outcome);

        // Asked Mon 2025-03-10 10:00 Beijing: 10 calendar days (this system's target) end on Thu 03-20, a working day, at
        // midnight Beijing (16:00Z), on the requested side (CN-MOJ).
        s.At(Z("2025-03-10T02:00:00Z")).Do(AskProgress, Scenario.Filer, c => c with { Note = "Has the witness been heard?" });
        var progress = s.Clock(ClockKind.Progress);
        Assert.Equal((ClockState.Running, Side.Requested, Z("2025-03-20T16:00:00Z")), (progress.State, progress.Side, progress.DueAt));
        var asked = s.Request.NewEvents.Single(e => e.Event == "ask-progress");
        Assert.Equal(("Has the witness been heard?", RequestStatus.Submitted), (asked.Reason, asked.StatusAfter));
        Assert.Equal(["progress: started (10 calendar days), due 2025-03-20T16:00:00Z"], asked.ClockChanges);

        // A second ask while one is open is refused, and not offered.
        var again = s.Try(AskProgress, Scenario.Filer);
        Assert.Equal(ActionOutcome.NotAllowedInStatus, again.Outcome);
        Assert.StartsWith("UNTOC art. 18(24): an ask on progress is already open", again.Detail, StringComparison.Ordinal);
        Assert.Same(s.Request, again.Request);
        Assert.DoesNotContain(AskProgress, s.Request.AllowedActions(Scenario.Filer, ShippedData.Set));
        Assert.Contains(ReportProgress, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));

        // The answer is the note, and it is required.
        var bare = s.Try(ReportProgress, Scenario.Handler);
        Assert.Equal(ActionOutcome.Invalid, bare.Outcome);
        Assert.Contains(ActionFields.Note, bare.Errors.Keys);

        s.At(Z("2025-03-12T03:00:00Z")).Do(ReportProgress, Scenario.Handler, c => c with { Note = "The witness is summoned for 2 April." });
        var entry = s.Request.NewEvents.Single(e => e.Event == "report-progress");
        Assert.Equal(("report-progress", "The witness is summoned for 2 April."), (entry.Event, entry.Reason));
        Assert.Equal(["progress: met"], entry.ClockChanges);
        Assert.Equal((ClockState.Met, Z("2025-03-12T03:00:00Z")), (s.Clock(ClockKind.Progress).State, s.Clock(ClockKind.Progress).StoppedAt));
        Assert.Equal(RequestStatus.Submitted, s.Request.Status);

        // Answered, a new ask may follow.
        Assert.Contains(AskProgress, s.Request.AllowedActions(Scenario.Filer, ShippedData.Set));
    }

    [Fact]
    public void Untoc_art_18_26_refusal_and_postponement_wait_for_a_recorded_consultation()
    {
        var s = new Scenario("untoc");
        Assert.DoesNotContain(Refuse, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Contains(Consult, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.DoesNotContain(Consult, s.Request.AllowedActions(Scenario.Filer, ShippedData.Set));

        var refused = s.Try(Refuse, Scenario.Handler, Scenario.Complete(Refuse));
        Assert.Equal(ActionOutcome.NotAllowedInStatus, refused.Outcome);
        Assert.StartsWith("UNTOC art. 18(26): consult the requesting State Party before refusing or postponing", refused.Detail, StringComparison.Ordinal);
        Assert.Same(s.Request, refused.Request);

        s.Do(Accept, Scenario.Handler);
        var postponed = s.Try(Postpone, Scenario.Handler, Scenario.Complete(Postpone));
        Assert.Equal(ActionOutcome.NotAllowedInStatus, postponed.Outcome);
        Assert.StartsWith("UNTOC art. 18(26)", postponed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Postpone, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));

        // What was proposed is required, and is what the history keeps.
        Assert.Contains(ActionFields.Note, s.Try(Consult, Scenario.Handler).Errors.Keys);
        s.Do(Consult, Scenario.Handler, c => c with { Note = "Proposed executing on condition the evidence is not used for another offence." });
        var entry = s.Request.NewEvents.Single(e => e.Event == "consult");
        Assert.Equal(("consult", "Proposed executing on condition the evidence is not used for another offence.", RequestStatus.Accepted),
            (entry.Event, entry.Reason, entry.StatusAfter));

        Assert.Contains(Postpone, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Contains(Refuse, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        s.Do(Postpone, Scenario.Handler);
        Assert.Equal(RequestStatus.Postponed, s.Request.Status);
    }

    [Fact]
    public void Under_an_instrument_without_the_duties_neither_step_exists_and_refusal_needs_no_consultation()
    {
        var s = new Scenario(TestReferenceData.TreatyBasis);
        var ask = s.Try(AskProgress, Scenario.Filer);
        Assert.Equal(ActionOutcome.NotAllowedInStatus, ask.Outcome);
        Assert.Contains("answer-progress-requests", ask.Detail, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.NotAllowedInStatus, s.Try(Consult, Scenario.Handler, c => c with { Note = "n" }).Outcome);
        Assert.DoesNotContain(Consult, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        Assert.Contains(Refuse, s.Request.AllowedActions(Scenario.Handler, ShippedData.Set));
        s.Do(Refuse, Scenario.Handler);
        Assert.Equal(RequestStatus.Refused, s.Request.Status);
    }

    [Fact]
    public void The_duty_is_read_from_the_catalogue_so_a_file_without_it_lifts_the_rule()
    {
        var data = ShippedData.Set;
        var instruments = new InstrumentCatalogue(data.Instruments.All.Select(i => i.Code == "untoc" ? i with { Obligations = [] } : i));
        var without = new ReferenceDataSet(data.Authorities, data.Calendars, data.Policies, instruments, data.FilesVersion, data.Fingerprints, data.Closures, data.ClosureSequence);
        var request = new Scenario("untoc").Request;

        Assert.Contains(Refuse, request.AllowedActions(Scenario.Handler, without));
        Assert.DoesNotContain(Consult, request.AllowedActions(Scenario.Handler, without));
        Assert.DoesNotContain(AskProgress, request.AllowedActions(Scenario.Filer, without));
        var refused = request.Act(new ActionCommand { Action = Refuse, Grounds = "art. 18(21)(b)" }, Scenario.Handler, Z("2025-03-04T02:00:00Z"), without);
        Assert.Equal(ActionOutcome.Applied, refused.Outcome);
    }
}
