using System.Collections.Immutable;

namespace MutualAssistance.Notifications;

/// <summary>An authority's webhook: where its notifications are posted, and which types (empty: all).</summary>
public sealed record WebhookSubscription(
    Guid Id, string Authority, Uri Url, ImmutableArray<string> EventTypes, string CreatedBy, DateTimeOffset CreatedAt)
{
    public bool Wants(string type) => EventTypes.IsDefaultOrEmpty || EventTypes.Contains(type, StringComparer.Ordinal);
}
