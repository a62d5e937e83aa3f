namespace MutualAssistance.Domain.Clocks;

[Alias("ma.PeriodUnit")]
public enum PeriodUnit
{
    /// <summary>Calendar days; a period whose last day is not a working day ends with the next working day (EU Reg. 1182/71 art. 3(4)).</summary>
    CalendarDays = 0,

    /// <summary>Working days of the responsible state's calendar only.</summary>
    WorkingDays = 1,

    /// <summary>Hours of elapsed time.</summary>
    Hours = 2,
}
