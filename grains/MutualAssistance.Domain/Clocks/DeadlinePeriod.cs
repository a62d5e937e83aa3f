namespace MutualAssistance.Domain.Clocks;

/// <summary>A length of time as a rule states it: so many calendar days, working days or hours.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.DeadlinePeriod")]
public sealed record DeadlinePeriod([property: Id(0)] int Amount, [property: Id(1)] PeriodUnit Unit)
{
    public static DeadlinePeriod CalendarDays(int amount) => new(amount, PeriodUnit.CalendarDays);

    public static DeadlinePeriod WorkingDays(int amount) => new(amount, PeriodUnit.WorkingDays);

    public static DeadlinePeriod Hours(int amount) => new(amount, PeriodUnit.Hours);

    public override string ToString() => Unit switch
    {
        PeriodUnit.CalendarDays => $"{Amount} calendar days",
        PeriodUnit.WorkingDays => $"{Amount} working days",
        _ => $"{Amount} hours",
    };
}
