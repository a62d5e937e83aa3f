using MutualAssistance.Domain.Notifications;
using NodaTime;

namespace MutualAssistance.Domain.Tests;

/// <summary>E-mail in the recipient's office hours on its own calendar and zone; level 3 at once, as the policy file says.</summary>
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

    [Theory]
    [InlineData(0, false)] // the breach
    [InlineData(1, false)] // the responsible side's supervisor
    [InlineData(2, false)] // the head of the central authority
    [InlineData(3, true)] // consultation with the other state
    public void Which_levels_go_at_once_is_the_policy_files(int level, bool atOnce)
    {
        var ladder = ShippedData.Set.Policies.Ladder;
        Assert.Equal(3, ladder.MailAtOnceFromLevel);
        Assert.Equal(atOnce, ladder.MailsAtOnce(level));
    }

    [Fact]
    public void A_rung_added_above_the_ladder_moves_nothing_about_when_mail_goes()
    {
        // The level is the file's decision, not the ladder's top: a level 4 also goes at once, and 3 still does.
        var ladder = ShippedData.Set.Policies.Ladder;
        var taller = ladder with { Steps = ladder.Steps.Add(new Domain.Escalations.EscalationStep { Level = 4, DaysAfterBreach = 60, Addressee = "ministers" }) };
        Assert.True(taller.MailsAtOnce(3));
        Assert.True(taller.MailsAtOnce(4));
        Assert.False(taller.MailsAtOnce(2));
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
