using System.Collections.Immutable;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Escalations;
using NodaTime;

namespace MutualAssistance.Domain.Clocks;

/// <summary>
/// One deadline clock of a request: started by an event, met or cancelled by others, paused and extended with
/// reasons. Its due time is recomputed from the calendar whenever anything about it changes; the warnings,
/// breach and escalation levels it has reached are recorded on it, each once.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.Clock")]
public sealed record Clock
{
    [Id(0)] public required int Id { get; init; }
    [Id(1)] public required ClockKind Kind { get; init; }
    [Id(2)] public required Side Side { get; init; }
    [Id(3)] public required string ResponsibleAuthority { get; init; }
    [Id(4)] public required DateTimeOffset StartedAt { get; init; }
    [Id(5)] public required DeadlinePeriod Period { get; init; }

    /// <summary>A last day fixed by the requester's date instead of the period.</summary>
    [Id(6)] public DateOnly? FixedLastDay { get; init; }
    [Id(7)] public required ClockState State { get; init; }
    [Id(8)] public ImmutableArray<Pause> Pauses { get; init; } = [];
    [Id(9)] public ImmutableArray<Extension> Extensions { get; init; } = [];

    /// <summary>When the period ends, as last computed; null while paused.</summary>
    [Id(10)] public DateTimeOffset? DueAt { get; init; }

    /// <summary>Warning percentages already recorded.</summary>
    [Id(11)] public ImmutableArray<int> WarningsRecorded { get; init; } = [];
    [Id(12)] public DateTimeOffset? BreachedAt { get; init; }
    [Id(13)] public int EscalationLevel { get; init; }
    [Id(14)] public DateTimeOffset? StoppedAt { get; init; }
    [Id(15)] public required string Source { get; init; }

    /// <summary>Delays reported on this clock, with reasons and a new estimate (EIO art. 12(5)-(6)), oldest first.</summary>
    [Id(16)] public ImmutableArray<DelayNotice> DelayNotices { get; init; } = [];

    /// <summary>
    /// Why <see cref="DueAt"/> may still move: the days from start to due cross a provisional year of the
    /// responsible calendar, or a year it has no file for (<see cref="DeadlineCalculator.CalendarNote(Clock, DateTimeOffset?, WorkingCalendar, DateTimeZone)"/>); null when all are official.
    /// </summary>
    [Id(17)] public string? CalendarNote { get; init; }

    /// <summary>
    /// The authority whose calendar and zone the period runs on when it is not <see cref="ResponsibleAuthority"/>: the
    /// competent authority a request was forwarded to, which owes its own acknowledgement and recognition decision
    /// (Directive 2014/41/EU art. 7(6), 12(3), 16(1)). Null: the responsible authority's.
    /// </summary>
    [Id(18)] public string? CalendarAuthority { get; init; }

    /// <summary>The authority whose calendar and zone this clock's period runs on.</summary>
    public string RunsOnCalendarOf => CalendarAuthority ?? ResponsibleAuthority;

    public bool IsOpen => State is ClockState.Running or ClockState.Paused or ClockState.Breached;

    public bool IsTicking => State is ClockState.Running or ClockState.Breached;

    public DateTimeOffset? PausedSince => State == ClockState.Paused ? Pauses[^1].From : null;

    public static Clock Start(int id, ClockRule rule, FileRequest request, string responsibleAuthority, DateTimeOffset at, DateTimeZone zone)
    {
        var period = rule.PeriodFor(request.Urgency);
        DateOnly? fixedLastDay = null;
        if (request.RequestedBy is { } requestedBy && period.Unit == PeriodUnit.CalendarDays)
        {
            var nominalLast = DateOnly.FromDateTime(DeadlineCalculator.LocalDate(at, zone).PlusDays(period.Amount).ToDateTimeUnspecified());
            fixedLastDay = rule.RequestedBy switch
            {
                RequestedByRule.Replaces => requestedBy,
                RequestedByRule.Shortens when requestedBy < nominalLast => requestedBy,
                _ => null,
            };
        }

        return new Clock
        {
            Id = id,
            Kind = rule.Kind,
            Side = rule.Side,
            ResponsibleAuthority = responsibleAuthority,
            StartedAt = at,
            Period = period,
            FixedLastDay = fixedLastDay,
            State = ClockState.Running,
            Source = rule.Source,
        };
    }

    public Clock Pause(DateTimeOffset at, string by, string reason, RequestStatus cause) =>
        State is ClockState.Running or ClockState.Breached
            ? this with { State = ClockState.Paused, DueAt = null, Pauses = Pauses.Add(new Pause { From = at, By = by, Reason = reason, Cause = cause }) }
            : this;

    public Clock Resume(DateTimeOffset at) =>
        State == ClockState.Paused
            ? this with { State = BreachedAt is null ? ClockState.Running : ClockState.Breached, Pauses = Pauses.SetItem(Pauses.Length - 1, Pauses[^1] with { Until = at }) }
            : this;

    public Clock Extend(Extension extension) => this with { Extensions = Extensions.Add(extension) };

    public Clock ReportDelay(DelayNotice notice) => this with { DelayNotices = (DelayNotices.IsDefault ? [] : DelayNotices).Add(notice) };

    public Clock Meet(DateTimeOffset at) => IsOpen ? this with { State = ClockState.Met, StoppedAt = at, DueAt = DueAt ?? at } : this;

    public Clock Cancel(DateTimeOffset at) => IsOpen ? this with { State = ClockState.Cancelled, StoppedAt = at } : this;

    /// <summary>Recomputes <see cref="DueAt"/> from the calendar (open clocks only: a stopped clock keeps its record).</summary>
    public Clock WithDueFrom(WorkingCalendar calendar, DateTimeZone zone)
    {
        if (!IsOpen)
        {
            return this;
        }

        var due = DeadlineCalculator.Due(this, calendar, zone);
        return this with { DueAt = due, CalendarNote = DeadlineCalculator.CalendarNote(this, due, calendar, zone) };
    }

    /// <summary>
    /// A breached clock whose due time has moved past <paramref name="now"/> (a closure declared after the breach on
    /// its last day; an extension granted after it) is no longer breached: it runs again, its escalation level goes
    /// back to 0, and its ladder starts again from the new due time, so the breach and the levels are recorded again
    /// only if it breaches again. Warnings already recorded stay recorded and are not repeated. Its history keeps the
    /// earlier breach: the correction is a new entry (issue 24). A clock whose new due time has passed as well stays
    /// breached as recorded. Paused clocks have no due time and are left as they are.
    /// </summary>
    public Clock WithdrawBreachIfDueAhead(DateTimeOffset now) =>
        BreachedAt is not null && DueAt is { } due && due > now && IsOpen
            ? this with { BreachedAt = null, EscalationLevel = 0, State = State == ClockState.Breached ? ClockState.Running : State }
            : this;

    /// <summary>What <see cref="WithdrawBreachIfDueAhead"/> says in the history of this (still breached) clock.</summary>
    public string BreachWithdrawn() =>
        $"{Contracts.WireNames.Of(Kind)}: no longer breached (breached {Requests.AssistanceRequest.Instant(BreachedAt)}, escalation level {EscalationLevel}): due {Requests.AssistanceRequest.Instant(DueAt)} is ahead, the ladder starts again from it";

    /// <summary>The events this clock has reached by <paramref name="now"/> and not yet recorded, in the order they fell due.</summary>
    public IEnumerable<ClockEvent> Due(DateTimeOffset now, EscalationLadder ladder) =>
        Pending(ladder).Where(e => e.DueAt <= now);

    /// <summary>The next event not yet recorded, whenever it falls.</summary>
    public ClockEvent? Next(EscalationLadder ladder) => Pending(ladder).FirstOrDefault();

    /// <summary>Whether <paramref name="clockEvent"/> is recorded on this clock already.</summary>
    public bool IsRecorded(ClockEvent clockEvent) => clockEvent.Event switch
    {
        ClockEventKind.Warning => WarningsRecorded.Contains(clockEvent.Value),
        ClockEventKind.Breach => BreachedAt is not null,
        _ => EscalationLevel >= clockEvent.Value,
    };

    /// <summary>Marks an event as recorded.</summary>
    public Clock Record(ClockEvent clockEvent) => clockEvent.Event switch
    {
        ClockEventKind.Warning => this with { WarningsRecorded = WarningsRecorded.Add(clockEvent.Value) },
        ClockEventKind.Breach => this with { BreachedAt = clockEvent.DueAt, State = ClockState.Breached },
        _ => this with { EscalationLevel = clockEvent.Value },
    };

    private IEnumerable<ClockEvent> Pending(EscalationLadder ladder)
    {
        if (!IsTicking || DueAt is not { } due)
        {
            yield break;
        }

        // A clock due at or before its start (a requested date already past when it started) was breached from the
        // start: no warning is owed for a share of a period it never had, its ladder runs from its start (not all at
        // once from a due time already behind it), and the levels no one owes for a deadline nobody could have met
        // (NotWhenDueAtStart: consultation with the other state) are never reached (issue 24, docs/domain.md).
        var dueAtStart = due <= StartedAt;
        var span = due - StartedAt;
        foreach (var percent in ladder.WarningPercents)
        {
            if (!dueAtStart && BreachedAt is null && !WarningsRecorded.Contains(percent))
            {
                var at = StartedAt + (span * percent / 100);
                yield return new ClockEvent(Id, Kind, ClockEventKind.Warning, at, percent, History.ClockWarned.Describe(percent));
            }
        }

        if (BreachedAt is null)
        {
            yield return new ClockEvent(Id, Kind, ClockEventKind.Breach, due, 0, History.ClockBreached.Described);
        }

        var ladderFrom = dueAtStart ? StartedAt : BreachedAt ?? due;
        foreach (var step in ladder.Steps.Where(s => s.Level > EscalationLevel && !(dueAtStart && s.NotWhenDueAtStart)).OrderBy(s => s.Level))
        {
            yield return new ClockEvent(Id, Kind, ClockEventKind.Escalation, ladderFrom + TimeSpan.FromDays(step.DaysAfterBreach), step.Level, EscalationText.Describe(step));
        }
    }
}
