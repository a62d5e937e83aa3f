using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

public sealed partial record AssistanceRequest
{
    // The contract's numbers (FieldLimits), which /api/reference also hands to the page.
    public const int MaxText = FieldLimits.ActionText;
    public const int MaxExtensionDays = FieldLimits.ExtensionDays;

    /// <summary>
    /// Takes one lifecycle action for <paramref name="actor"/>. The checks run in this order, and the first that
    /// fails decides the outcome with nothing changed: a party to the request; the expected version; the side
    /// and the role; the status; what the action needs.
    /// </summary>
    /// <param name="evaluatesHere">As for <see cref="Evaluate"/>: the clocks whose events this node records.</param>
    public ActionDecision Act(ActionCommand command, Actor actor, DateTimeOffset now, ReferenceDataSet data, Func<string, bool>? evaluatesHere = null)
    {
        if (SideOf(actor.Authority) is not { } actorSide)
        {
            return ActionDecision.Refused(ActionOutcome.NotFound, this, "No such request for this authority.");
        }

        if (command.ExpectedVersion is { } expected && expected != Version)
        {
            return ActionDecision.Refused(ActionOutcome.VersionMismatch, this, $"The request is at version {Version}, not {expected}.");
        }

        var rule = Lifecycle.Rules[command.Action];
        var errors = ImmutableDictionary.CreateBuilder<string, FieldMessage>();
        var target = command.Action switch
        {
            RequestAction.Extend => ExtensionTarget(command, data, errors),
            RequestAction.InformDelay when rule.ExistsUnder(Basis, data.Instruments) && rule.From.Contains(Status) => DelayTarget(command, errors),
            _ => null,
        };
        var side = rule.Side ?? target?.Side ?? actorSide;
        if (side != actorSide)
        {
            return ActionDecision.Refused(ActionOutcome.Forbidden, this, $"'{WireNames.Of(command.Action)}' is taken by the {side.ToString().ToLowerInvariant()} side.");
        }

        if (!Roles.May(actor.Role, command.Action, side))
        {
            return ActionDecision.Refused(ActionOutcome.Forbidden, this, $"The role '{WireNames.Of(actor.Role)}' may not take '{WireNames.Of(command.Action)}'.");
        }

        if (!rule.From.Contains(Status) || !rule.ExistsUnder(Basis, data.Instruments))
        {
            return ActionDecision.Refused(ActionOutcome.NotAllowedInStatus, this, rule.ExistsUnder(Basis, data.Instruments)
                ? $"'{WireNames.Of(command.Action)}' is not allowed while the request is {WireNames.Of(Status)}."
                : rule.NotUnder(Basis));
        }

        if (ProgressAndConsultation.Blocks(this, command.Action, data) is { } blocked)
        {
            // UNTOC art. 18(24) and 18(26) (UNCAC art. 46(24), 46(26)), where the basis's instrument words the duty.
            return ActionDecision.Refused(ActionOutcome.NotAllowedInStatus, this, blocked);
        }

        Validate(command, target, now, data, errors);
        if (errors.Count > 0)
        {
            return new ActionDecision(ActionOutcome.Invalid, this, errors.ToImmutable(), "The action lacks what it needs or breaks a rule.");
        }

        return new ActionDecision(ActionOutcome.Applied, Apply(command, rule, actor, target, now, data, evaluatesHere), ImmutableDictionary<string, FieldMessage>.Empty, null);
    }

    /// <summary>The actions <paramref name="actor"/> may take now.</summary>
    public ImmutableArray<RequestAction> AllowedActions(Actor? actor, ReferenceDataSet data)
    {
        if (actor is null || SideOf(actor.Authority) is not { } actorSide)
        {
            return [];
        }

        return
        [
            .. Lifecycle.AllowedIn(Status, Basis, data.Instruments).Where(action =>
            {
                if (!Roles.May(actor.Role, action, actorSide))
                {
                    return false;
                }

                return action switch
                {
                    RequestAction.Extend => Clocks.Any(c => c.IsOpen && c.Side == actorSide && data.Policies.Find(Basis, c.Kind)?.Extension is not null),
                    RequestAction.InformDelay => Lifecycle.Rules[action].Side == actorSide && Clocks.Any(c => c.IsOpen && DelayReporting.Clocks.Contains(c.Kind)),
                    _ => Lifecycle.Rules[action].Side == actorSide && ProgressAndConsultation.Blocks(this, action, data) is null,
                };
            }),
        ];
    }

    private AssistanceRequest Apply(ActionCommand command, ActionRule rule, Actor actor, Clock? target, DateTimeOffset now, ReferenceDataSet data, Func<string, bool>? evaluatesHere)
    {
        var before = Status;
        var after = Lifecycle.After(rule, before, PriorStatus);
        var by = $"{actor.Subject} ({actor.Authority}, {WireNames.Of(actor.Role)})";

        // When the action took effect: now, or when the order was served, as the requested side records it.
        var at = command.Action == RequestAction.ServeOrder ? (command.ServedAt ?? now).ToUniversalTime() : now;
        var reason = RecordedReason(command);
        var changes = ImmutableArray.CreateBuilder<string>();
        var rules = data.Policies.For(Basis);
        ClockRule? RuleOf(Clock clock) => rules.FirstOrDefault(r => r.Kind == clock.Kind);

        var clocks = Clocks.Select(clock =>
        {
            if (!clock.IsOpen || RuleOf(clock) is not { } clockRule)
            {
                return clock;
            }

            if (clockRule.RestartOn.Contains(command.Action))
            {
                // After a forward the competent authority's own period runs, on its calendar and in its zone (EIO art.
                // 7(6), 12(3), 16(1)): a regional authority's closures and rest days count, not the central one's.
                var calendarAuthority = command.Action == RequestAction.Forward && clock.Side == Side.Requested ? command.ForwardedTo : clock.CalendarAuthority;
                changes.Add(calendarAuthority != clock.CalendarAuthority ? $"{WireNames.Of(clock.Kind)}: restarted, on the calendar of {calendarAuthority}" : $"{WireNames.Of(clock.Kind)}: restarted");
                return clock with
                {
                    StartedAt = at, State = ClockState.Running, Pauses = [], Extensions = [], DelayNotices = [], WarningsRecorded = [],
                    BreachedAt = null, EscalationLevel = 0, DueAt = null, CalendarAuthority = calendarAuthority,
                };
            }

            if (clockRule.StopOn.Contains(command.Action))
            {
                changes.Add(clock.DueAt is { } due && at > due ? $"{WireNames.Of(clock.Kind)}: met late" : $"{WireNames.Of(clock.Kind)}: met");
                return clock.Meet(at);
            }

            if (Lifecycle.Final.Contains(after) || after == RequestStatus.Executed)
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: cancelled");
                return clock.Cancel(now);
            }

            if (command.Action == RequestAction.InformDelay && target is not null && clock.Id == target.Id)
            {
                // EIO art. 12(5)-(6): the reasons go in the entry's (sealed) reason, the estimate in its clock change and on the clock.
                changes.Add($"{WireNames.Of(clock.Kind)}: delay reported, new estimate {command.Estimate!.Value:yyyy-MM-dd}");
                return clock.ReportDelay(new DelayNotice { At = now, By = by, Reason = command.Reason!, Estimate = command.Estimate.Value });
            }

            if (target is not null && clock.Id == target.Id)
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: extended by {command.Days} ({clock.Period.Unit switch { PeriodUnit.WorkingDays => "working days", PeriodUnit.Hours => "days of 24 hours", _ => "calendar days" }})");
                clock = clock.Extend(new Extension { At = now, By = by, Days = command.Days!.Value, Reason = command.Reason!, Estimate = command.Estimate });
            }

            if (clockRule.PauseWhile.Contains(after) && !clockRule.PauseWhile.Contains(before))
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: paused");
                return clock.Pause(now, by, reason ?? WireNames.Of(command.Action), after);
            }

            if (clock.State == ClockState.Paused && !clockRule.PauseWhile.Contains(after))
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: resumed");
                return clock.Resume(now);
            }

            return clock;
        }).ToImmutableArray();

        var next = this with
        {
            Version = Version + 1,
            Status = after,
            Clocks = clocks,
            PriorStatus = command.Action is RequestAction.RequestInformation or RequestAction.Postpone ? before
                : command.Action is RequestAction.ProvideInformation or RequestAction.Resume ? null
                : PriorStatus,
            RequestedReference = command.Action == RequestAction.Acknowledge ? command.RequestedReference ?? RequestedReference : RequestedReference,
            ForwardedTo = command.Action == RequestAction.Forward ? command.ForwardedTo : ForwardedTo,
            ServedOn = command.Action == RequestAction.ServeOrder ? command.ServedOn : ServedOn,
            ServedAt = command.Action == RequestAction.ServeOrder ? at : ServedAt,
            ConsultedAt = command.Action == RequestAction.Consult ? now : ConsultedAt,
        };

        foreach (var startRule in rules.Where(r => r.StartOn.Contains(command.Action) && r.AppliesTo(Filed)))
        {
            if (!next.Clocks.Any(c => c.Kind == startRule.Kind && c.IsOpen))
            {
                next = next.StartClock(startRule, at, data, changes);
            }
        }

        next = next.RefreshDueTimes(data, changes, now);
        next = next.Record(new ActionTaken { Action = command.Action }, actor, reason, before, after, changes.ToImmutable(), now);
        return next.Evaluate(now, data, evaluatesHere).Request;
    }

    private AssistanceRequest RefreshDueTimes(ReferenceDataSet data, ImmutableArray<string>.Builder changes, DateTimeOffset now)
    {
        var clocks = Clocks.Select(clock =>
        {
            var (calendar, zone) = data.CalendarOf(clock.RunsOnCalendarOf);
            var refreshed = clock.WithDueFrom(calendar, zone);
            if (refreshed.IsOpen && refreshed.DueAt != clock.DueAt && refreshed.DueAt is not null)
            {
                changes.Add($"{WireNames.Of(clock.Kind)}: due {Instant(refreshed.DueAt)}");
            }

            // An extension granted after the breach that puts the due time ahead withdraws the breach (a resumption
            // cannot: a pause that began after the breach ends no earlier than the due time it adds up to).
            var reopened = refreshed.DueAt != clock.DueAt ? refreshed.WithdrawBreachIfDueAhead(now) : refreshed;
            if (reopened != refreshed)
            {
                changes.Add(refreshed.BreachWithdrawn());
            }

            return reopened;
        }).ToImmutableArray();
        return this with { Clocks = clocks };
    }

    private Clock? ExtensionTarget(ActionCommand command, ReferenceDataSet data, ImmutableDictionary<string, FieldMessage>.Builder errors)
    {
        if (command.Clock is not { } kind)
        {
            errors["clock"] = FieldMessages.ClockRequired();
            return null;
        }

        var clock = Clocks.LastOrDefault(c => c.Kind == kind && c.IsOpen);
        if (clock is null)
        {
            errors["clock"] = FieldMessages.NoOpenClock(WireNames.Of(kind));
            return null;
        }

        if (data.Policies.Find(Basis, kind)?.Extension is null)
        {
            errors["clock"] = FieldMessages.ClockNotExtendable(WireNames.Of(kind));
            return null;
        }

        return clock;
    }

    /// <summary>The open clock <c>inform-delay</c> names: one of <see cref="DelayReporting.Clocks"/>.</summary>
    private Clock? DelayTarget(ActionCommand command, ImmutableDictionary<string, FieldMessage>.Builder errors)
    {
        if (command.Clock is not { } kind)
        {
            errors[ActionFields.Clock] = FieldMessages.ClockRequired();
            return null;
        }

        if (!DelayReporting.Clocks.Contains(kind))
        {
            errors[ActionFields.Clock] = FieldMessages.NoDelayToReport(WireNames.Of(command.Action), DelayReporting.Clocks.Select(WireNames.Of));
            return null;
        }

        var clock = Clocks.LastOrDefault(c => c.Kind == kind && c.IsOpen);
        if (clock is null)
        {
            errors[ActionFields.Clock] = FieldMessages.NoOpenClock(WireNames.Of(kind));
        }

        return clock;
    }

    private void Validate(ActionCommand command, Clock? target, DateTimeOffset now, ReferenceDataSet data, ImmutableDictionary<string, FieldMessage>.Builder errors)
    {
        void Text(string? value, string field, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    errors[field] = FieldMessages.RequiredFor(WireNames.Of(command.Action));
                }
            }
            else if (value.Length > MaxText)
            {
                errors[field] = FieldMessages.AtMostCharacters(MaxText);
            }
        }

        bool Required(string field) => ActionFields.Requires(command.Action, field);
        Text(command.Reason, ActionFields.Reason, Required(ActionFields.Reason));
        Text(command.Grounds, ActionFields.Grounds, Required(ActionFields.Grounds));
        Text(command.ForwardedTo, ActionFields.ForwardedTo, Required(ActionFields.ForwardedTo));
        if (command.Action == RequestAction.Forward && !errors.ContainsKey(ActionFields.ForwardedTo)
            && Forwarding.Check(command.ForwardedTo!, Filed.RequestedAuthority, data.Authorities) is { } misdirected)
        {
            // Within the requested state only, to a directory authority (EIO art. 7(6); UNTOC art. 18(13)): Forwarding owns it.
            errors[ActionFields.ForwardedTo] = misdirected;
        }
        Text(command.RequestedReference, ActionFields.RequestedReference, Required(ActionFields.RequestedReference));
        Text(command.Note, ActionFields.Note, Required(ActionFields.Note));
        if (command.Action == RequestAction.ServeOrder)
        {
            FilingRules.Text(command.ServedOn, ActionFields.ServedOn, FilingRules.MaxShortText, Required(ActionFields.ServedOn), (field, message) => errors[field] = message);
            if (command.ServedAt is { } servedAt && servedAt > now)
            {
                errors["servedAt"] = FieldMessages.NotInFuture();
            }
            else if (command.ServedAt is { } earlier && earlier < ReceivedAt)
            {
                errors["servedAt"] = FieldMessages.NotBeforeReceipt(Instant(ReceivedAt));
            }
        }

        if (command.Action == RequestAction.InformDelay)
        {
            if (command.Estimate is not { } estimate)
            {
                errors[ActionFields.Estimate] = FieldMessages.EstimateRequired();
            }
            else if (target is not null)
            {
                var today = Calendars.DeadlineCalculator.LocalDate(now, data.CalendarOf(target.RunsOnCalendarOf).Zone);
                if (estimate < DateOnly.FromDateTime(today.ToDateTimeUnspecified()))
                {
                    errors[ActionFields.Estimate] = FieldMessages.EstimateNotPast(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        if (command.Action != RequestAction.Extend)
        {
            return;
        }

        if (command.Days is not { } days || days < 1 || days > MaxExtensionDays)
        {
            errors["days"] = FieldMessages.ExtensionDays(MaxExtensionDays);
        }

        if (errors.ContainsKey("clock") || target is not { } clock)
        {
            return;
        }

        var extension = data.Policies.Find(Basis, clock.Kind)!.Extension!;
        if (extension.MaxCount is { } maxCount && clock.Extensions.Length >= maxCount)
        {
            errors["clock"] = FieldMessages.ExtendedTooOften(WireNames.Of(clock.Kind), maxCount);
        }

        if (command.Days is { } asked)
        {
            if (extension.MaxDaysEach is { } maxEach && asked > maxEach)
            {
                errors["days"] = FieldMessages.ExtensionTooLong(WireNames.Of(clock.Kind), maxEach);
            }

            var taken = clock.Extensions.Sum(e => e.Days);
            if (extension.MaxDaysTotal is { } maxTotal && taken + asked > maxTotal)
            {
                errors["days"] = FieldMessages.ExtensionsTooLong(WireNames.Of(clock.Kind), maxTotal, taken);
            }
        }

        if (extension.EstimateRequired && command.Estimate is null)
        {
            errors["estimate"] = FieldMessages.EstimateRequired();
        }
    }

    /// <summary>
    /// What the history keeps of an action's free text: its reason or grounds, and the note beside them (a note
    /// alone is kept as it is); null when none was given.
    /// </summary>
    internal static string? RecordedReason(ActionCommand command)
    {
        var main = string.Join("\n", new[] { command.Reason, command.Grounds }.Where(t => !string.IsNullOrWhiteSpace(t)));
        if (string.IsNullOrWhiteSpace(command.Note))
        {
            return main.Length == 0 ? null : main;
        }

        return main.Length == 0 ? command.Note : $"{main}\nNote: {command.Note}";
    }
}
