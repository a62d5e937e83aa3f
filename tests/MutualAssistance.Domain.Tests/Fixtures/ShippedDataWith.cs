using MutualAssistance.Domain.Calendars;
using MutualAssistance.Domain.ReferenceData;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>The shipped reference data with a change made by a test.</summary>
public static class ShippedDataWith
{
    public static ReferenceDataSet ExtraHoliday(string state, LocalDate date)
    {
        var set = ShippedData.Set;
        var calendars = set.Calendars.All.Select(calendar => calendar.State != state ? calendar : new WorkingCalendar(state,
            calendar.Years.Values.Select(y => y.Year != date.Year ? y : y with { Holidays = y.Holidays.Add(new CalendarDay(date, "added by test")) })));
        return set.WithCalendars(new CalendarBook(calendars), set.FilesVersion + "+" + date);
    }
}
