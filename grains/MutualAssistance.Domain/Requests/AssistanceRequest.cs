using System.Collections.Immutable;
using System.Globalization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// A mutual legal assistance request: what was filed, where it stands in its lifecycle, its deadline clocks, the
/// head of its hash-chained history and the events recorded since it was last stored. Plain C#: every change is a method that checks its rule and returns the next value, so tests
/// drive it without a cluster; the grain only stores it and wakes it up on time.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.AssistanceRequest")]
public sealed partial record AssistanceRequest
{
    [Id(0)] public required Guid Id { get; init; }
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required RequestStatus Status { get; init; }
    [Id(3)] public required FileRequest Filed { get; init; }

    /// <summary>The code of the request's basis in the instrument catalogue (identified for a request filed before it, <see cref="LegacyBasis"/>).</summary>
    public string Basis => Instruments.LegacyBasis.Of(Filed);
    [Id(4)] public required string FilingFingerprint { get; init; }
    [Id(5)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(6)] public required DateTimeOffset FiledAt { get; init; }
    [Id(7)] public required Actor FiledBy { get; init; }
    [Id(8)] public string? RequestedReference { get; init; }
    [Id(9)] public string? ForwardedTo { get; init; }
    [Id(10)] public RequestStatus? PriorStatus { get; init; }
    [Id(11)] public ImmutableArray<Clock> Clocks { get; init; } = [];
    /// <summary>
    /// The events recorded since this value was last stored, oldest first: the store appends them to the request's
    /// history in the same transaction as its state, and the stored state keeps none (<see cref="Stored"/>). Driven
    /// without a store (as the domain tests do), they are the whole history.
    /// </summary>
    /// <remarks>Field 12 held the whole history before it moved to its own table; the migration of such state reads it here.</remarks>
    [Id(12)]
    [System.Text.Json.Serialization.JsonIgnore]
    public ImmutableArray<HistoryEntry> NewEvents { get; init; } = [];

    /// <summary>The version of the reference data the due times were last computed with (this node's: it does not travel to a peer).</summary>
    [Id(13)]
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ReferenceVersion { get; init; }

    /// <summary>The service provider a production order was served on, and when (CETS 224 art. 8(6)(a)).</summary>
    [Id(14)] public string? ServedOn { get; init; }
    [Id(15)] public DateTimeOffset? ServedAt { get; init; }

    /// <summary>The last link of the history, new events included.</summary>
    [Id(16)] public ChainHead Head { get; init; } = ChainHead.Genesis;

    /// <summary>When the latest event was recorded.</summary>
    [Id(17)] public DateTimeOffset LastEventAt { get; init; }

    /// <summary>
    /// The key of the digests that the history's hashes cover in place of the reasons (<see cref="HashChain.DigestOf"/>):
    /// random per request, sealed with the rest of the state, shared with a peer node. Null before reasons were sealed,
    /// and after an erasure.
    /// </summary>
    [Id(19)] public string? HistorySalt { get; init; }

    /// <summary>When this node erased the request's personal data (its data key destroyed); this node's own fact, it does not travel.</summary>
    [Id(20)]
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>
    /// When the requested side last recorded a consultation of the requesting side (<c>consult</c>; UNTOC art. 18(26)),
    /// which <see cref="Consultation"/> asks for before a refusal or a postponement. Not on <c>ma-exchange/1</c>: a
    /// peer receives the consultation as a history entry only.
    /// </summary>
    [Id(22)] public DateTimeOffset? ConsultedAt { get; init; }

    public int EscalationLevel => Clocks.Where(c => c.IsOpen).Select(c => c.EscalationLevel).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Files a new request, as <see cref="TryFile"/> does, for callers that only ever file valid requests (tests,
    /// seeding): a refusal is their mistake and throws <see cref="InvalidOperationException"/> naming the field. Callers
    /// that must answer a refusal use <see cref="TryFile"/>.
    /// </summary>
    public static AssistanceRequest File(Guid id, FileRequest request, Actor actor, DateTimeOffset now, ReferenceDataSet data)
    {
        var decision = TryFile(id, request, actor, now, data);
        if (decision.Request is { } filed)
        {
            return filed;
        }

        var (field, message) = decision.Errors.IsEmpty
            ? ("authority", decision.Detail!)
            : decision.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value.ToString())).First();
        throw new InvalidOperationException($"The request was not filed ({field}): {message}");
    }

    /// <summary>
    /// Files a new request after the checks of <see cref="FilingRules"/> (every field, then who may file it); a
    /// refusal changes nothing and says why. A request received off-system carries the time it arrived; the clocks
    /// that start on receipt start at that time, and whatever fell due since is recorded at once.
    /// </summary>
    public static FilingDecision TryFile(Guid id, FileRequest request, Actor actor, DateTimeOffset now, ReferenceDataSet data, Func<string, bool>? evaluatesHere = null)
    {
        if (FilingRules.Check(request, now, data) is { Count: > 0 } errors)
        {
            return new FilingDecision(FilingOutcome.Invalid, null, errors, "The request lacks what it needs or breaks a rule; nothing was filed.");
        }

        if (FilingRules.Refusal(request, actor) is { } refusal)
        {
            return new FilingDecision(FilingOutcome.Forbidden, null, ImmutableDictionary<string, FieldMessage>.Empty, refusal);
        }

        var receivedAt = (request.ReceivedAt ?? now).ToUniversalTime();
        var filed = new AssistanceRequest
        {
            Id = id,
            Version = 1,
            Status = RequestStatus.Submitted,
            Filed = request with { LegacyBasis = Instruments.LegacyBasis.ForOlderSilos(request.LegalBasis!) },
            FilingFingerprint = Requests.FilingFingerprint.Of(request),
            ReceivedAt = receivedAt,
            FiledAt = now.ToUniversalTime(),
            FiledBy = actor,
            ReferenceVersion = data.Version,
            HistorySalt = HashChain.NewSalt(),
        };

        var changes = ImmutableArray.CreateBuilder<string>();
        foreach (var rule in data.Policies.For(filed.Basis).Where(r => r.StartsOnFiling && r.AppliesTo(request)))
        {
            filed = filed.StartClock(rule, receivedAt, data, changes);
        }

        filed = filed.Record(new RequestFiled(), actor, null, null, RequestStatus.Submitted, changes.ToImmutable(), now);
        return new FilingDecision(FilingOutcome.Created, filed.Evaluate(now, data, evaluatesHere).Request, ImmutableDictionary<string, FieldMessage>.Empty, null);
    }

    /// <summary>
    /// Whether <paramref name="request"/> is the very request filed here (an idempotent retry, or the peer's copy); once
    /// erased here, by what is left of it (<see cref="WithoutPersonalData"/>).
    /// </summary>
    public bool IsSameFiling(FileRequest request) =>
        FilingFingerprint == Requests.FilingFingerprint.Of(ErasedAt is null ? request : WithoutPersonalData(request));

    /// <summary>
    /// Records every warning, breach and escalation that has fallen due by <paramref name="now"/> and was not yet
    /// recorded, in the order they fell due. Calling it again at the same time records nothing.
    /// </summary>
    /// <param name="evaluatesHere">For a request shared with another node: whether this node records the events of an
    /// authority's clocks (its own authorities'); the other node records the rest and sends them. Null: every clock.</param>
    public (AssistanceRequest Request, ImmutableArray<ClockEvent> Recorded) Evaluate(DateTimeOffset now, ReferenceDataSet data, Func<string, bool>? evaluatesHere = null)
    {
        var due = Clocks.Where(c => evaluatesHere?.Invoke(c.ResponsibleAuthority) != false)
            .SelectMany(c => c.Due(now, data.Policies.LadderFor(Basis, c.Kind))).OrderBy(e => e.DueAt).ThenBy(e => e.ClockId).ThenBy(e => e.Event).ToImmutableArray();
        return due.IsEmpty ? (this, []) : (RecordClockEvents(due, now), due);
    }

    /// <summary>Records <paramref name="due"/> (warnings, breaches, escalations) on their clocks and in the history, in one new version.</summary>
    internal AssistanceRequest RecordClockEvents(ImmutableArray<ClockEvent> due, DateTimeOffset now)
    {
        var next = this with { Version = Version + 1 };
        foreach (var clockEvent in due)
        {
            var index = next.Clocks.IndexOf(next.Clocks.Single(c => c.Id == clockEvent.ClockId));
            next = next with { Clocks = next.Clocks.SetItem(index, next.Clocks[index].Record(clockEvent)) };
            next = next.Record(ClockEventRecorded.Of(clockEvent), null, null, Status, Status, [], now);
        }

        return next;
    }

    /// <summary>
    /// Recomputes the due time of every open clock with the current calendars and policies (after a change of
    /// reference data): a clock's period follows its rule as it now stands. Each move is recorded, with
    /// <paramref name="reason"/>, then whatever has now fallen due. Nothing moved: the same request, at the same version.
    /// </summary>
    /// <param name="responsibleHere">For a request shared with another node: whether this node computes the due times
    /// of an authority's clocks (its own authorities'); the other clocks keep the due times their node computed.</param>
    public AssistanceRequest Recalculate(DateTimeOffset now, ReferenceDataSet data, string reason = "calendar or policy data changed", Func<string, bool>? responsibleHere = null)
    {
        var changes = ImmutableArray.CreateBuilder<string>();
        var clocks = Clocks.Select(clock =>
        {
            if (!clock.IsOpen || responsibleHere?.Invoke(clock.ResponsibleAuthority) == false)
            {
                return clock;
            }

            var moved = clock;
            if (data.Policies.Find(Basis, clock.Kind)?.PeriodFor(Filed.Urgency) is { } period && period != clock.Period)
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: period changed from {clock.Period} to {period}");
                moved = moved with { Period = period };
            }

            var (calendar, zone) = data.CalendarOf(clock.RunsOnCalendarOf);
            moved = moved.WithDueFrom(calendar, zone);
            if (moved.DueAt != clock.DueAt)
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: due moved from {Instant(clock.DueAt)} to {Instant(moved.DueAt)}");
            }
            else if (moved.CalendarNote != clock.CalendarNote && moved.DueAt is not null && responsibleHere is null)
            {
                // An official schedule that confirms the provisional one moves nothing, but the clock no longer
                // says its due time may move: recorded, as any change of what the clock shows. Not on a shared
                // request's refresh of the due times its node computes (responsibleHere): ma-exchange/1 does not carry
                // the note, so the copy received lacks it and its absence is no change; the clock takes the note here
                // without an entry of its own.
                changes.Add($"{WireNames.Of(clock.Kind)}: due {Instant(moved.DueAt)} unchanged, {(moved.CalendarNote is null ? "now on official calendars" : $"calendar provisional ({moved.CalendarNote})")}");
            }

            // A breach the move undoes is withdrawn, in this new entry: the earlier ones stay as they were (issue 24).
            var reopened = moved.DueAt != clock.DueAt ? moved.WithdrawBreachIfDueAhead(now) : moved;
            if (reopened != moved)
            {
                changes.Add(moved.BreachWithdrawn());
            }

            return reopened;
        }).ToImmutableArray();

        if (changes.Count == 0)
        {
            var same = clocks.SequenceEqual(Clocks) ? this : this with { Clocks = clocks };
            return same.ReferenceVersion == data.Version ? same.Evaluate(now, data, responsibleHere).Request : (same with { ReferenceVersion = data.Version }).Evaluate(now, data, responsibleHere).Request;
        }

        var next = this with { Clocks = clocks, Version = Version + 1, ReferenceVersion = data.Version };
        next = next.Record(new DueTimesRecalculated(), null, reason, Status, Status, changes.ToImmutable(), now);
        return next.Evaluate(now, data, responsibleHere).Request;
    }

    /// <summary>When the next warning, breach or escalation falls due, if any clock is ticking.</summary>
    public DateTimeOffset? NextEventAt(ReferenceDataSet data, Func<string, bool>? evaluatesHere = null) =>
        Clocks.Where(c => evaluatesHere?.Invoke(c.ResponsibleAuthority) != false).Select(c => c.Next(data.Policies.LadderFor(Basis, c.Kind))?.DueAt).Where(at => at is not null).Min();

    /// <summary>The side <paramref name="authority"/> acts for on this request, or null when it is not a party.</summary>
    public Side? SideOf(string authority) =>
        authority == Filed.RequestingAuthority ? Side.Requesting
        : authority == Filed.RequestedAuthority ? Side.Requested
        : null;

    public string AuthorityFor(Side side) => side == Side.Requesting ? Filed.RequestingAuthority : Filed.RequestedAuthority;

    internal AssistanceRequest StartClock(ClockRule rule, DateTimeOffset at, ReferenceDataSet data, ImmutableArray<string>.Builder changes)
    {
        var authority = AuthorityFor(rule.Side);
        // A requested-side clock started once the request was forwarded runs on the competent authority's calendar (EIO art. 7(6), 16(1)).
        var calendarAuthority = rule.Side == Side.Requested ? ForwardedTo : null;
        var (calendar, zone) = data.CalendarOf(calendarAuthority ?? authority);
        var nextId = Clocks.IsDefaultOrEmpty ? 1 : Clocks.Max(c => c.Id) + 1;
        var clock = (Clock.Start(nextId, rule, Filed, authority, at, zone) with { CalendarAuthority = calendarAuthority }).WithDueFrom(calendar, zone);
        changes.Add($"{WireNames.Of(clock.Kind)}: started ({clock.Period}), due {Instant(clock.DueAt)}");
        return this with { Clocks = Clocks.Add(clock) };
    }

    /// <summary>This request as stored: its new events are in the history now.</summary>
    public AssistanceRequest Stored() => NewEvents.IsDefaultOrEmpty ? this : this with { NewEvents = [] };

    /// <summary>
    /// Appends the event <paramref name="what"/> to the history: its text is made from it (its name, and for a clock's
    /// event its own change in place of <paramref name="changes"/>), and the entry keeps it as its payload.
    /// </summary>
    internal AssistanceRequest Record(HistoryEvent what, Actor? actor, string? reason, RequestStatus? before, RequestStatus after, ImmutableArray<string> changes, DateTimeOffset now)
    {
        if (ErasedAt is not null && reason is not null)
        {
            throw new InvalidOperationException($"Request {Id}: its personal data was erased; an event with a reason cannot be recorded on it.");
        }

        var entry = HashChain.Link(Head, new HistoryEntry
        {
            Sequence = 0,
            At = now.ToUniversalTime(),
            Event = what.Name,
            Actor = actor,
            Reason = reason,
            StatusBefore = before,
            StatusAfter = after,
            ClockChanges = what.Change is { } change ? [change] : changes,
            Payload = what,
        }, HistorySalt);
        return this with { NewEvents = (NewEvents.IsDefault ? [] : NewEvents).Add(entry), Head = ChainHead.Of(entry), LastEventAt = entry.At };
    }

    internal static string Instant(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(paused)";
}
