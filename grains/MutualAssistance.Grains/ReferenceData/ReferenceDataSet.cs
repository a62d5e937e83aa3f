using MutualAssistance.Grains.Authorities;
using MutualAssistance.Grains.Calendars;
using MutualAssistance.Grains.Clocks;
using NodaTime;

namespace MutualAssistance.Grains.ReferenceData;

/// <summary>
/// The data the rules run on: the authority directory, the states' working calendars and the policy table.
/// <see cref="Version"/> is a digest of the files it was read from.
/// </summary>
public sealed record ReferenceDataSet(AuthorityDirectory Authorities, CalendarBook Calendars, PolicyTable Policies, string Version)
{
    /// <summary>The calendar and time zone that an authority's deadlines run on.</summary>
    public (WorkingCalendar Calendar, DateTimeZone Zone) CalendarOf(string authorityCode)
    {
        // An authority no longer in the directory keeps working: on a weekday calendar in UTC.
        var authority = Authorities.Find(authorityCode);
        return authority is null
            ? (Calendars.For(authorityCode.Split('-')[0]), DateTimeZone.Utc)
            : (Calendars.For(authority.State), authority.TimeZone);
    }
}
