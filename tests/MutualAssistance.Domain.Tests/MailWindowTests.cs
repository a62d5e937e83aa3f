using MutualAssistance.Domain.Notifications;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>E-mail in the recipient's office hours on its own calendar and zone; level 3 at once.</summary>
public sealed class MailWindowTests
{
    private static readonly MailWindow Hours = new(new LocalTime(9, 0), new LocalTime(18, 0));

    private static DateTimeOffset Z(string instant) => DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-03-04T15:00:00Z", "2025-03-05T01:00:00Z")] // Tuesday 23:00 in Beijing: Wednesday 09:00 there
    [InlineData("2025-03-07T15:00:00Z", "2025-03-10T01:00:00Z")] // Friday 23:00: Monday 09:00
    [InlineData("2025-03-04T23:00:00Z", "2025-03-05T01:00:00Z")] // Wednesday 07:00: 09:00 the same day
    [InlineData("2025-03-05T03:30:00Z", "2025-03-05T03:30:00Z")] // Wednesday 11:30: at once
    [InlineData("2025-03-08T02:00:00Z", "2025-03-10T01:00:00Z")] // Saturday 10:00: Monday 09:00
    public void A_mail_waits_for_the_recipients_next_office_hours(string happened, string sent)
    {
        var (calendar, zone) = ShippedData.Set.CalendarOf("CN-MOJ");
        Assert.Equal(Z(sent), Hours.SendAt(Z(happened), calendar, zone, immediately: false));
    }

    [Fact]
    public void What_must_go_at_once_goes_at_once()
    {
        var (calendar, zone) = ShippedData.Set.CalendarOf("CN-MOJ");
        Assert.Equal(Z("2025-03-07T15:00:00Z"), Hours.SendAt(Z("2025-03-07T15:00:00Z"), calendar, zone, immediately: true));
    }

    [Fact]
    public void A_breach_is_level_0_and_an_escalation_its_own_level()
    {
        Assert.Equal(0, NotificationRule.LevelOf("breach", ["decision: breach - the period has ended (due 2025-04-02T16:00:00Z)"]));
        Assert.Equal(2, NotificationRule.LevelOf("escalation", ["decision: escalation - level 2: Deputy Prosecutor General (due 2025-04-12T16:00:00Z)"]));
        Assert.Null(NotificationRule.LevelOf("warning", ["decision: warning - 50% of the period has passed (due 2025-03-18T16:00:00Z)"]));
        Assert.Null(NotificationRule.LevelOf("acknowledge", []));
    }
}
