using System.Collections.Immutable;

namespace MutualAssistance.Notifications;

/// <summary>
/// An event a request recorded, waiting to be turned into deliveries, with the request's parties. <see cref="Payload"/>
/// is its typed payload as stored (JSON; null for an event recorded before payloads were kept), which the notifier
/// reads (the grains' HistoryEventJson) instead of the text.
/// </summary>
public sealed record QueuedEvent(
    Guid RequestId, int Sequence, string Event, string? ActorAuthority, DateTimeOffset At, ImmutableArray<string> ClockChanges,
    string RequestingAuthority, string RequestedAuthority, string Subject, string? Payload = null);
