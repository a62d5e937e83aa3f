using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Domain.Clocks;
using MutualAssistance.Domain.History;
using MutualAssistance.Contracts.Notifications;

namespace MutualAssistance.Domain.Notifications;

/// <summary>
/// Who must know of an event a request recorded, and as what (README, "Notifications"): a warning, breach or
/// escalation of a clock concerns both parties; an action (a filing included) concerns the other party, the one that
/// did not take it. Other events (recalculations, refusals of a peer's command) notify nobody. Only the authorities
/// this node serves are told here; the peer node tells its own.
/// </summary>
public static class NotificationRule
{
    private static readonly ImmutableDictionary<string, string> ClockTypes = new Dictionary<string, string>
    {
        [WireNames.Of(ClockEventKind.Warning)] = NotificationTypes.Warning,
        [WireNames.Of(ClockEventKind.Breach)] = NotificationTypes.Breach,
        [WireNames.Of(ClockEventKind.Escalation)] = NotificationTypes.Escalation,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The escalation level an event stands for: a breach 0, an escalation its level; null for any other event.</summary>
    public static int? LevelOf(HistoryEvent what) => what switch
    {
        ClockBreached => 0,
        ClockEscalated escalated => escalated.Level,
        _ => null,
    };

    /// <summary>The escalation level of an entry known by its text only (<see cref="HistoryEventText.Read"/>).</summary>
    public static int? LevelOf(string eventName, IReadOnlyList<string> clockChanges) => LevelOf(HistoryEventText.Read(eventName, clockChanges));

    /// <summary>The type and the authorities to tell of an event, given its name, who took it and the request's parties.</summary>
    public static (string? Type, ImmutableArray<string> Authorities) For(
        string eventName, string? actorAuthority, string requestingAuthority, string requestedAuthority, Func<string, bool> servesHere)
    {
        ImmutableArray<string> parties = [requestingAuthority, requestedAuthority];
        var (type, told) = actorAuthority is null
            ? (ClockTypes.GetValueOrDefault(eventName), ClockTypes.ContainsKey(eventName) ? parties : [])
            : (NotificationTypes.Acted, parties.Where(a => !string.Equals(a, actorAuthority, StringComparison.Ordinal)).ToImmutableArray());
        var here = told.Where(servesHere).Distinct(StringComparer.Ordinal).ToImmutableArray();
        return here.IsEmpty ? (null, []) : (type, here);
    }
}
