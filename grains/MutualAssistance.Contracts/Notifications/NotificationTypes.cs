using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Notifications;

/// <summary>The types of notification, by the names they carry on the wire (a webhook's <c>type</c>, a subscription's filter).</summary>
public static class NotificationTypes
{
    /// <summary>The other party acted on the request (a filing included).</summary>
    public const string Acted = "request.acted";

    /// <summary>A share of a clock's period has passed.</summary>
    public const string Warning = "request.warning";

    /// <summary>A clock's period ended before it stopped.</summary>
    public const string Breach = "request.breach";

    /// <summary>A breached clock reached a level of the escalation ladder.</summary>
    public const string Escalation = "request.escalation";

    public static readonly ImmutableArray<string> All = [Acted, Warning, Breach, Escalation];
}
