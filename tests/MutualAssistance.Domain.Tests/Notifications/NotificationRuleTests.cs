using MutualAssistance.Domain.Notifications;
using MutualAssistance.Contracts.Notifications;

namespace MutualAssistance.Domain.Tests;

/// <summary>Who is told of what: clock events both parties, an action the other party, only the authorities served here.</summary>
public sealed class NotificationRuleTests
{
    private const string Kz = "KZ-GP";
    private const string Cn = "CN-MOJ";

    [Theory]
    [InlineData("warning", NotificationTypes.Warning)]
    [InlineData("breach", NotificationTypes.Breach)]
    [InlineData("escalation", NotificationTypes.Escalation)]
    public void A_clock_event_concerns_both_parties(string eventName, string type) =>
        Same(type, [Kz, Cn], Told(eventName, null, _ => true));

    [Theory]
    [InlineData("file", Kz, Cn)]
    [InlineData("acknowledge", Cn, Kz)]
    [InlineData("withdraw", Kz, Cn)]
    public void An_action_concerns_the_other_party(string eventName, string actor, string told) =>
        Same(NotificationTypes.Acted, [told], Told(eventName, actor, _ => true));

    [Fact]
    public void Only_the_authorities_served_here_are_told_and_other_events_tell_nobody()
    {
        Same(NotificationTypes.Breach, [Cn], Told("breach", null, a => a == Cn));
        Same(null, [], Told("acknowledge", Cn, a => a == Cn)); // the peer node tells KZ
        Same(null, [], Told("recalculation", null, _ => true));
        Same(null, [], Told("action-refused", null, _ => true));
    }

    private static void Same(string? type, string[] authorities, (string? Type, string[] Authorities) told)
    {
        Assert.Equal(type, told.Type);
        Assert.Equal(authorities, told.Authorities);
    }

    private static (string? Type, string[] Authorities) Told(string eventName, string? actor, Func<string, bool> servesHere)
    {
        var (type, authorities) = NotificationRule.For(eventName, actor, Kz, Cn, servesHere);
        return (type, [.. authorities]);
    }
}
