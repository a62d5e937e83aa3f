using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.ReadModel;

/// <summary>A request's rows in the read model (<see cref="RequestProjection"/>, owned by the read side) at its current version.</summary>
public static class Projections
{
    public static RequestProjection Of(AssistanceRequest request, ReferenceDataSet data) => new()
    {
        RequestId = request.Id,
        Version = request.Version,
        Status = request.Status,
        RequestingAuthority = request.Filed.RequestingAuthority,
        RequestedAuthority = request.Filed.RequestedAuthority,
        LegalBasis = request.Basis,
        Urgency = request.Filed.Urgency,
        Subject = request.Filed.Subject,
        FiledAt = request.FiledAt,
        ReceivedAt = request.ReceivedAt,
        EscalationLevel = request.EscalationLevel,
        NextEventAt = request.NextEventAt(data),
        ChangedAt = request.LastEventAt == default ? request.FiledAt : request.LastEventAt,
        Clocks =
        [
            .. request.Clocks.Select(c => new ClockProjection
            {
                ClockId = c.Id,
                Kind = c.Kind,
                // The board reads the remaining working days and the zone on this authority's calendar: the one the period runs on.
                ResponsibleAuthority = c.RunsOnCalendarOf,
                ResponsibleSide = c.Side,
                State = c.State,
                StartedAt = c.StartedAt,
                DueAt = c.DueAt,
                StoppedAt = c.StoppedAt,
                BreachedAt = c.BreachedAt,
                EscalationLevel = c.EscalationLevel,
                ProvisionalCalendar = c.IsOpen && c.CalendarNote is not null,
            }),
        ],
    };
}
