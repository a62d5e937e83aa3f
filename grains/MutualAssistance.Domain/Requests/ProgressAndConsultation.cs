using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Instruments;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The one owner of two duties of the requested state, under bases whose instrument words them (the catalogue's
/// <c>duties</c>: UNTOC art. 18(24) and 18(26), UNCAC art. 46(24) and 46(26)): answering an ask on progress, one ask
/// open at a time (<c>ask-progress</c>, answered by <c>report-progress</c>, timed by the <c>progress</c> clock); and
/// consulting the requesting state before refusing or postponing (<c>consult</c> before <c>refuse</c>, <c>postpone</c>).
/// </summary>
public static class ProgressAndConsultation
{
    /// <summary>Whether an ask on progress is open: the requested side's <c>progress</c> clock runs (or ran past its target).</summary>
    public static bool AskOpen(AssistanceRequest request) => request.Clocks.Any(c => c.Kind == ClockKind.Progress && c.IsOpen);

    /// <summary>
    /// Why <paramref name="action"/> may not be taken now for one of these duties, or null: a second ask while one is
    /// open; an answer with no ask open; a refusal or postponement with no consultation recorded (UNTOC art. 18(26)).
    /// </summary>
    public static string? Blocks(AssistanceRequest request, RequestAction action, ReferenceDataSet data)
    {
        switch (action)
        {
            case RequestAction.AskProgress when AskOpen(request):
                return $"{Cited(request, data, InstrumentDuty.AnswerProgressRequests)}: an ask on progress is already open; the requested side owes its answer (report-progress) before another.";
            case RequestAction.ReportProgress when !AskOpen(request):
                return $"{Cited(request, data, InstrumentDuty.AnswerProgressRequests)}: 'report-progress' answers an ask on progress, and none is open.";
            case RequestAction.Refuse or RequestAction.Postpone when request.ConsultedAt is null
                && data.Instruments.InstrumentOf(request.Basis)?.Obligation(InstrumentDuty.ConsultBeforeRefusal) is not null:
                return $"{Cited(request, data, InstrumentDuty.ConsultBeforeRefusal)}: consult the requesting State Party before refusing or postponing (record it with 'consult').";
            default:
                return null;
        }
    }

    /// <summary>"UNTOC art. 18(26)": the instrument's short title and the article its file gives for the duty.</summary>
    private static string Cited(AssistanceRequest request, ReferenceDataSet data, InstrumentDuty duty) =>
        data.Instruments.InstrumentOf(request.Basis) is { } instrument && instrument.Obligation(duty) is { } obligation
            ? $"{instrument.ShortTitle} {obligation.Article}"
            : WireNames.Of(duty);
}
