namespace MutualAssistance.Domain.Instruments;

/// <summary>
/// A duty of the requested state that an instrument words and the lifecycle enforces as a step. Which instruments
/// carry which duty is data (the instrument file's <c>"duties"</c>, instruments/SCHEMA.md), never a list of bases in code.
/// </summary>
public enum InstrumentDuty
{
    /// <summary>
    /// Respond to reasonable requests on the progress of the handling of a request (UNTOC art. 18(24); UNCAC art.
    /// 46(24)): the actions <c>ask-progress</c> and <c>report-progress</c>, and the <c>progress</c> clock.
    /// </summary>
    AnswerProgressRequests,

    /// <summary>
    /// Consult the requesting state before refusing or postponing (UNTOC art. 18(26); UNCAC art. 46(26)): the action
    /// <c>consult</c>, without which <c>refuse</c> and <c>postpone</c> are refused.
    /// </summary>
    ConsultBeforeRefusal,

    /// <summary>
    /// Take account of deadlines suggested by the requesting state "and for which reasons are given, preferably in the
    /// request" (UNTOC art. 18(24); UNCAC art. 46(24)): a requested-by date is filed with its reasons.
    /// </summary>
    DeadlineWithReasons,
}

/// <summary>A duty as an instrument words it: the article (<c>art. 18(26)</c>) and the source line of the file.</summary>
public sealed record InstrumentObligation(InstrumentDuty Duty, string Article, string Source);
