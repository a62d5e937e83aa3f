using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

public sealed partial record AssistanceRequest
{
    /// <summary>When the request reached a final status (closed, refused, returned unexecuted, withdrawn); null while it is open.</summary>
    public DateTimeOffset? EndedAt => Lifecycle.Final.Contains(Status) ? LastEventAt : null;

    /// <summary>
    /// Whether <paramref name="actor"/> may order this request's personal data erased: an administrator of one of its
    /// parties, once it has ended (an open request is still being worked on: it is withdrawn or closed first). Applied
    /// when it may (Applied), else why not.
    /// </summary>
    public (ActionOutcome Outcome, string? Detail) MayErase(Actor actor)
    {
        if (actor.Role != Role.Admin || SideOf(actor.Authority) is null)
        {
            return (ActionOutcome.Forbidden, "Only an administrator of one of the request's authorities may order its personal data erased.");
        }

        if (ErasedAt is not null)
        {
            return (ActionOutcome.Applied, null);
        }

        return EndedAt is null
            ? (ActionOutcome.NotAllowedInStatus, $"The request is {Contracts.WireNames.Of(Status)}: its personal data is erased once it has ended (closed, refused, returned unexecuted or withdrawn).")
            : (ActionOutcome.Applied, null);
    }

    /// <summary>What is left of a filing once its personal data is erased: the summary of facts and the persons concerned go.</summary>
    public static FileRequest WithoutPersonalData(FileRequest filing) => filing with { SummaryOfFacts = string.Empty, PersonsConcerned = [], RequestedByReasons = null };

    /// <summary>
    /// The request without its personal data: the summary of facts, the persons concerned, the reasons of its pauses,
    /// extensions and reported delays, its history salt are gone and its filing's fingerprint covers what is left; its parties, statuses, clocks and chain head stay. The history's
    /// reasons go with the request's data key (the store destroys it); their digests keep the chain verifiable.
    /// </summary>
    public AssistanceRequest Erased(DateTimeOffset now) => ErasedAt is not null ? this : this with
    {
        Filed = WithoutPersonalData(Filed),
        FilingFingerprint = Requests.FilingFingerprint.Of(WithoutPersonalData(Filed)), // one of the whole filing would let a guess of it be confirmed
        Clocks = [.. Clocks.Select(c => c with
        {
            Pauses = [.. c.Pauses.Select(p => p with { Reason = string.Empty })],
            Extensions = [.. c.Extensions.Select(e => e with { Reason = string.Empty })],
            DelayNotices = c.DelayNotices.IsDefault ? [] : [.. c.DelayNotices.Select(n => n with { Reason = string.Empty })],
        })],
        HistorySalt = null,
        ErasedAt = now.ToUniversalTime(),
        NewEvents = [],
    };
}
