using System.Collections.Immutable;

namespace MutualAssistance.Notifications;

/// <summary>An event a request recorded, waiting to be turned into deliveries, with the request's parties.</summary>
public sealed record QueuedEvent(
    Guid RequestId, int Sequence, string Event, string? ActorAuthority, DateTimeOffset At, ImmutableArray<string> ClockChanges,
    string RequestingAuthority, string RequestedAuthority, string Subject);
