namespace MutualAssistance.Notifications;

/// <summary>A delivery claimed for sending: where, with which key, what.</summary>
public sealed record DueDelivery(WebhookDelivery Delivery, Uri Url, string Secret, string Payload);
