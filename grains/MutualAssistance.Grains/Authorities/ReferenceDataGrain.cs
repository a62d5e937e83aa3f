using System.Collections.Immutable;
using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Grains.ReferenceData;
using Orleans.Concurrency;

namespace MutualAssistance.Grains.Authorities;

/// <summary>Serves the silo's reference data; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class ReferenceDataGrain(CurrentReferenceData referenceData) : Grain, IReferenceDataGrain
{
    public Task<ImmutableArray<AuthorityView>> GetAuthorities() =>
        Task.FromResult(referenceData.Set.Authorities.All.Select(a => new AuthorityView
        {
            Code = a.Code, State = a.State, Name = a.Name, TimeZone = a.TimeZone.Id, Kind = a.Kind, Note = a.Note,
        }).ToImmutableArray());

    public Task<CalendarView?> GetCalendar(string authorityCode, int year)
    {
        var data = referenceData.Set;
        if (data.Authorities.Find(authorityCode) is not { } authority
            || !data.Calendars.For(authority.State).Years.TryGetValue(year, out var calendar))
        {
            return Task.FromResult<CalendarView?>(null);
        }

        static CalendarDayView Day(Calendars.CalendarDay d) => new(DateOnly.FromDateTime(d.Date.ToDateTimeUnspecified()), d.Name);
        return Task.FromResult<CalendarView?>(new CalendarView
        {
            State = calendar.State,
            Year = calendar.Year,
            Weekend = [.. calendar.Weekend.Select(d => d.ToString().ToLowerInvariant())],
            Holidays = [.. calendar.Holidays.Select(Day)],
            WorkingDays = [.. calendar.WorkingDays.Select(Day)],
            Source = calendar.Source,
            Complete = calendar.Complete,
            Note = calendar.Note,
        });
    }
}
