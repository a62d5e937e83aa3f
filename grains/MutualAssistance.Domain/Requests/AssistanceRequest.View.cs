using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.ReferenceData;

namespace MutualAssistance.Domain.Requests;

public sealed partial record AssistanceRequest
{
    /// <summary>The request as the API shows it, with the actions <paramref name="viewer"/> may take.</summary>
    public AssistanceRequestView ToView(Actor? viewer, ReferenceDataSet data) => new()
    {
        Id = Id,
        Version = Version,
        Status = Status,
        RequestingAuthority = Filed.RequestingAuthority,
        RequestedAuthority = Filed.RequestedAuthority,
        LegalBasis = Basis,
        Treaty = Filed.LegalBasis is null ? Filed.Treaty : null,
        AssistanceTypes = Filed.AssistanceTypes,
        Urgency = Filed.Urgency,
        RequestedBy = Filed.RequestedBy,
        RequestedByReasons = Filed.RequestedByReasons,
        ReceivedAt = ReceivedAt,
        FiledAt = FiledAt,
        FiledByAuthority = FiledBy.Authority,
        Subject = Filed.Subject,
        SummaryOfFacts = Filed.SummaryOfFacts,
        PersonsConcerned = Filed.PersonsConcerned.IsDefault ? [] : Filed.PersonsConcerned,
        RequestingReference = Filed.RequestingReference,
        RequestedReference = RequestedReference,
        Confidential = Filed.Confidential,
        RelatedRequestIds = Filed.RelatedRequestIds.IsDefault ? [] : Filed.RelatedRequestIds,
        Language = Filed.Language,
        ForwardedTo = ForwardedTo,
        PriorStatus = PriorStatus,
        ServedOn = ServedOn,
        ServedAt = ServedAt,
        Clocks = [.. Clocks.OrderBy(c => c.IsOpen ? 0 : 1).ThenBy(c => c.DueAt ?? DateTimeOffset.MaxValue).Select(c => ClockView(c, Basis, data))],
        EscalationLevel = EscalationLevel,
        AllowedActions = AllowedActions(viewer, data),
        ErasedAt = ErasedAt,
    };

    private static ClockView ClockView(Clocks.Clock clock, string basis, ReferenceDataSet data)
    {
        var (_, zone) = data.CalendarOf(clock.RunsOnCalendarOf);
        var rule = data.Policies.Find(basis, clock.Kind);
        return new ClockView
        {
            Id = clock.Id,
            Kind = clock.Kind,
            ResponsibleAuthority = clock.ResponsibleAuthority,
            ResponsibleSide = clock.Side,
            State = clock.State,
            StartedAt = clock.StartedAt,
            DueAt = clock.DueAt,
            DueLocal = clock.DueAt is { } due ? DeadlineCalculator.InZone(due, zone) : null,
            PausedSince = clock.PausedSince,
            Extensions = [.. clock.Extensions.Select(e => new ExtensionView { At = e.At, By = e.By, Days = e.Days, Reason = e.Reason, Estimate = e.Estimate })],
            Pauses = [.. clock.Pauses.Select(p => new PauseView { From = p.From, Until = p.Until, By = p.By, Reason = p.Reason })],
            EscalationLevel = clock.EscalationLevel,
            Period = clock.FixedLastDay is { } last ? $"until {last:yyyy-MM-dd} (requested date)" : clock.Period.ToString(),
            Source = clock.Source,
            StoppedAt = clock.StoppedAt,
            BreachedAt = clock.BreachedAt,
            TimeZone = zone.Id,
            DelayNotices = clock.DelayNotices.IsDefault ? [] : [.. clock.DelayNotices.Select(n => new DelayNoticeView { At = n.At, By = n.By, Reason = n.Reason, Estimate = n.Estimate })],
            ProvisionalCalendar = clock.IsOpen && clock.CalendarNote is not null,
            CalendarNote = clock.IsOpen ? clock.CalendarNote : null,
            Nature = rule?.Nature,
            SetBy = rule?.SetBy,
        };
    }
}
