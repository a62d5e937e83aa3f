namespace MutualAssistance.Notifications;

/// <summary>
/// One event posted to one subscription: waiting (<see cref="DeliveredAt"/> null; next try at
/// <see cref="NextAttemptAt"/>) or delivered, with what its last attempt got.
/// </summary>
public sealed record WebhookDelivery(
    Guid SubscriptionId, Guid RequestId, int Sequence, string Type, DateTimeOffset CreatedAt, int Attempts,
    int? LastStatus, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset NextAttemptAt)
{
    /// <summary>The Standard Webhooks <c>webhook-id</c>: the same on every attempt, so a receiver can drop a repeat.</summary>
    public string MessageId => $"msg_{RequestId:N}_{Sequence}";
}
