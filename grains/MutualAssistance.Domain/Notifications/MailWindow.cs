using MutualAssistance.Domain.Calendars;
using NodaTime;

namespace MutualAssistance.Domain.Notifications;

/// <summary>
/// When an e-mail about a clock may go to an authority (README, "Notifications"): within its office hours on a working
/// day of its own calendar, in its own zone. Something that happens outside them waits for the next opening (a breach
/// at 23:00 in Beijing goes at 09:00 the next working day there); what must go at once goes at once (which levels
/// do is the policy file's: <c>EscalationLadder.MailsAtOnce</c>).
/// </summary>
public sealed record MailWindow(LocalTime Opens, LocalTime Closes)
{
    public DateTimeOffset SendAt(DateTimeOffset happened, WorkingCalendar calendar, DateTimeZone zone, bool immediately)
    {
        if (immediately)
        {
            return happened;
        }

        var local = Instant.FromDateTimeOffset(happened).InZone(zone);
        if (calendar.IsWorkingDay(local.Date))
        {
            if (local.TimeOfDay < Opens)
            {
                return At(local.Date, zone);
            }

            if (local.TimeOfDay < Closes)
            {
                return happened;
            }
        }

        return At(calendar.OnOrNextWorkingDay(local.Date.PlusDays(1)), zone);
    }

    private DateTimeOffset At(LocalDate date, DateTimeZone zone) => (date + Opens).InZoneLeniently(zone).ToDateTimeOffset();
}
