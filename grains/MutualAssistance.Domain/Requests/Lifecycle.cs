using System.Collections.Frozen;
using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Instruments;
using static MutualAssistance.Contracts.Requests.RequestStatus;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// The lifecycle of a request (UNTOC art. 18; Directive 2014/41/EU arts 11, 12, 15, 16; Minsk Convention
/// art. 8): which side takes each action, from which statuses, and to which status it leads.
/// </summary>
public static class Lifecycle
{
    /// <summary>Statuses from which nothing but reading is possible.</summary>
    public static readonly ImmutableHashSet<RequestStatus> Final = [Closed, Refused, ReturnedUnexecuted, Withdrawn];

    private static readonly ImmutableHashSet<RequestStatus> BeforeDecision = [Submitted, Acknowledged, Forwarded];
    private static readonly ImmutableHashSet<RequestStatus> InExecution = [Accepted, PartiallyExecuted];
    private static readonly ImmutableHashSet<RequestStatus> Open = [Submitted, Acknowledged, Forwarded, Accepted, PartiallyExecuted, AwaitingInformation, Postponed];

    public static readonly FrozenDictionary<RequestAction, ActionRule> Rules = new ActionRule[]
    {
        new(RequestAction.Acknowledge, Side.Requested, [Submitted, Forwarded], Acknowledged,
            "the requested central authority confirms receipt, optionally with its own reference; after a forward, the competent executing authority confirms its own receipt (EIO art. 16(1) with 7(6))"),
        new(RequestAction.Forward, Side.Requested, [Submitted, Acknowledged], Forwarded,
            "sent to the competent executing authority, which owes its own acknowledgement; the recognition period starts again (EIO art. 7(6), 12(3), 16(1))"),
        new(RequestAction.ServeOrder, Side.Requested, [.. BeforeDecision, Accepted], Accepted,
            "the production order was served on the service provider, which starts the production period (CETS 224 art. 8(6)(a))")
        {
            OnlyUnder = [LegalBases.Cets224Subscriber, LegalBases.Cets224Traffic],
        },
        new(RequestAction.RequestInformation, Side.Requested, [.. BeforeDecision, .. InExecution], AwaitingInformation,
            "the requested side asks for more information; its clocks pause and the requesting side's information clock runs"),
        new(RequestAction.ProvideInformation, Side.Requesting, [AwaitingInformation], null,
            "the requesting side answers; the request returns to its prior status"),
        new(RequestAction.Accept, Side.Requested, BeforeDecision, Accepted,
            "recognised: the requested side decides to execute; the execution clock starts"),
        new(RequestAction.Postpone, Side.Requested, InExecution, Postponed,
            "execution postponed (EIO art. 15); the execution clock pauses"),
        new(RequestAction.Resume, Side.Requested, [Postponed], null,
            "execution resumes; the request returns to its prior status"),
        new(RequestAction.Extend, null, Open, null,
            "a clock is extended, with reasons (and a new estimate where the rule requires one)"),
        new(RequestAction.PartiallyExecute, Side.Requested, InExecution, PartiallyExecuted,
            "part of the results has been sent"),
        new(RequestAction.Execute, Side.Requested, InExecution, Executed,
            "the results have been sent"),
        new(RequestAction.Refuse, Side.Requested, [.. BeforeDecision, .. InExecution, Postponed], Refused,
            "refused, on stated grounds"),
        new(RequestAction.ReturnUnexecuted, Side.Requested, [.. InExecution, Postponed], ReturnedUnexecuted,
            "returned without execution, saying what prevented it"),
        new(RequestAction.Withdraw, Side.Requesting, Open, Withdrawn,
            "the requesting side no longer needs the assistance (UNTOC art. 18(24))"),
        new(RequestAction.Close, Side.Requesting, [Executed], Closed,
            "the requesting side confirms receipt of the results"),
        new(RequestAction.InformDelay, Side.Requested, Open, null,
            "the executing authority informs the issuing authority that its decision or execution clock cannot be met, giving the reasons and a new estimate, without delay (EIO art. 12(5)-(6)); the clock keeps running")
        {
            OnlyUnder = [LegalBases.Eio],
        },
        new(RequestAction.AskProgress, Side.Requesting, Open, null,
            "the requesting side asks on the progress of the handling of the request, which the requested side answers (UNTOC art. 18(24), UNCAC art. 46(24)); starts the progress clock")
        {
            OnlyWithDuty = InstrumentDuty.AnswerProgressRequests,
        },
        new(RequestAction.ReportProgress, Side.Requested, Open, null,
            "the requested side answers an ask on progress, the answer in the note (UNTOC art. 18(24)); meets the progress clock")
        {
            OnlyWithDuty = InstrumentDuty.AnswerProgressRequests,
        },
        new(RequestAction.Consult, Side.Requested, [.. BeforeDecision, .. InExecution, Postponed], null,
            "the requested side records that it consulted the requesting side on granting assistance subject to terms and conditions, what it proposed in the note; needed before refusing or postponing (UNTOC art. 18(26), UNCAC art. 46(26))")
        {
            OnlyWithDuty = InstrumentDuty.ConsultBeforeRefusal,
        },
    }.ToFrozenDictionary(r => r.Action);

    /// <summary>The actions that the lifecycle allows in <paramref name="status"/> under <paramref name="basis"/>, whoever asks.</summary>
    public static IEnumerable<RequestAction> AllowedIn(RequestStatus status, string basis, InstrumentCatalogue instruments) =>
        Rules.Values.Where(r => r.From.Contains(status) && r.ExistsUnder(basis, instruments)).Select(r => r.Action).Order();

    /// <summary>
    /// Where <paramref name="rule"/> leads from <paramref name="before"/>: providing information and resuming return to
    /// the prior status; a rule without a target leaves the status unchanged.
    /// </summary>
    public static RequestStatus After(ActionRule rule, RequestStatus before, RequestStatus? prior) => rule.Action switch
    {
        RequestAction.ProvideInformation or RequestAction.Resume => prior ?? before,
        _ => rule.To ?? before,
    };
}
