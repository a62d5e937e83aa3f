using System.Collections.Immutable;
using MutualAssistance.Contracts.Authorities;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Contracts;
using MutualAssistance.Domain.Authorities;
using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.Instruments;
using MutualAssistance.Domain.ReferenceData;
using Orleans.Concurrency;

namespace MutualAssistance.Grains.Authorities;

/// <summary>Serves the silo's reference data; stateless, so every silo answers locally.</summary>
[StatelessWorker]
public sealed class ReferenceDataGrain(CurrentReferenceData referenceData) : Grain, IReferenceDataGrain
{
    public Task<ImmutableArray<AuthorityView>> GetAuthorities() =>
        Task.FromResult(referenceData.Set.Authorities.All.Select(a => new AuthorityView
        {
            Code = a.Code, State = a.State, Name = a.Name, TimeZone = a.TimeZone.Id, Kind = a.Kind, Note = a.Note, Source = a.Source,
            Region = a.Location?.Region, City = a.Location?.City,
            Languages = a.Languages,
            DesignatedUnder = [.. referenceData.Set.Instruments.All.Where(i => i.DesignatedBy(a.State).Contains(a.Code)).Select(i => i.Code)],
        }).ToImmutableArray());

    public Task<ImmutableArray<DeadlineTiming>> Describe(ImmutableArray<DueQuery> dues, DateTimeOffset now)
    {
        var data = referenceData.Set;
        return Task.FromResult(dues.Select(due =>
        {
            var (calendar, zone) = data.CalendarOf(due.ResponsibleAuthority);
            // The due instant is the end of the last day: that day is the local date just before it.
            var lastDay = DeadlineCalculator.LocalDate(due.DueAt.AddTicks(-1), zone);
            var today = DeadlineCalculator.LocalDate(now, zone);
            var overdue = due.DueAt <= now;
            return new DeadlineTiming
            {
                DueLocal = DeadlineCalculator.InZone(due.DueAt, zone),
                TimeZone = zone.Id,
                Overdue = overdue,
                WorkingDays = overdue ? calendar.WorkingDaysBetween(lastDay, today) : calendar.WorkingDaysBetween(today, lastDay),
                Hours = Math.Round(Math.Abs((due.DueAt - now).TotalHours), 1),
            };
        }).ToImmutableArray());
    }

    public Task<ImmutableArray<Contracts.Instruments.InstrumentView>> GetInstruments() =>
        Task.FromResult(referenceData.Set.Instruments.All.Select(InstrumentViews.Of).ToImmutableArray());

    public Task<ImmutableArray<string>> GetFilingBases() =>
        Task.FromResult(referenceData.Set.Instruments.All.Where(i => !i.LegacyOnly).SelectMany(i => i.Bases).Select(b => b.Code).ToImmutableArray());

    public Task<bool> IsLegalBasis(string code) => Task.FromResult(referenceData.Set.Instruments.FindBasis(code) is not null);

    public Task<ImmutableArray<Contracts.Instruments.BindingBasisView>?> GetBindingBases(string requestingAuthority, string requestedAuthority, DateOnly day)
    {
        var data = referenceData.Set;
        return Task.FromResult(data.Authorities.Find(requestingAuthority) is { } requesting && data.Authorities.Find(requestedAuthority) is { } requested
            ? InstrumentViews.Binding(data.Instruments, requesting.State, requested.State, NodaTime.LocalDate.FromDateOnly(day))
            : (ImmutableArray<Contracts.Instruments.BindingBasisView>?)null);
    }

    public async Task<CalendarView?> GetCalendar(string authorityCode, int year, Actor viewer)
    {
        // Read-your-writes: a closure declared through another silo a moment ago shows here too.
        await referenceData.Refresh();
        var data = referenceData.Set;
        if (data.Authorities.Find(authorityCode) is not { } authority)
        {
            return null;
        }

        var stateCalendar = data.Calendars.For(authority.State);
        if (!stateCalendar.Years.TryGetValue(year, out var calendar))
        {
            // No file for that year yet: the weekly rest days of the latest year, and whatever was declared closed.
            var latest = stateCalendar.Years.Values.MaxBy(y => y.Year);
            calendar = new Domain.Calendars.CalendarYear
            {
                State = authority.State,
                Year = year,
                Weekend = latest?.Weekend ?? [NodaTime.IsoDayOfWeek.Saturday, NodaTime.IsoDayOfWeek.Sunday],
                Holidays = [],
                WorkingDays = [],
                Source = $"No calendar of {authority.State} for {year} is loaded: weekly rest days only, as in {latest?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no year"}.",
                Status = Domain.Calendars.CalendarStatus.Provisional,
                Pending = "no calendar file for this year: weekends only",
            };
        }

        var (own, _) = data.CalendarOf(authority.Code);
        // Who declared a closure (a staff id) is for the admins of that state, who may change its calendar.
        var showDeclarer = ClosureRules.Refusal(authority.State, viewer, data) is null;
        static CalendarDayView Day(Domain.Calendars.CalendarDay d) => new(DateOnly.FromDateTime(d.Date.ToDateTimeUnspecified()), d.Name) { Estimated = d.Estimated, Source = d.Source };
        return new CalendarView
        {
            State = calendar.State,
            Year = calendar.Year,
            Weekend = [.. calendar.Weekend.Select(WireNames.Of)],
            Holidays = [.. calendar.Holidays.Select(Day)],
            WorkingDays = [.. calendar.WorkingDays.Select(Day)],
            Source = calendar.Source,
            Complete = calendar.Status == Domain.Calendars.CalendarStatus.Official,
            Status = WireNames.Of(calendar.Status),
            Pending = calendar.Pending,
            Note = calendar.Note,
            Closures = [.. own.Closures.Values.Where(c => c.Date.Year == year).OrderBy(c => c.Date).Select(c => ClosureViews.Of(c, showDeclarer))],
            AuthorityWeekend = authority.Weekend is { } weekend ? [.. weekend.Days.Select(WireNames.Of)] : null,
            AuthorityWeekendSource = authority.Weekend is { } w ? (w.From is null && w.Until is null ? w.Source : $"{w.Source} [in force {w.From?.ToString("yyyy-MM-dd", null) ?? "…"} to {w.Until?.ToString("yyyy-MM-dd", null) ?? "…"}]") : null,
        };
    }
}
