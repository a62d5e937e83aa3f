using MutualAssistance.Notifications;

namespace MutualAssistance.Api.Apis;

/// <summary>A new subscription and its signing secret (Standard Webhooks, <c>whsec_…</c>): the only time it is shown.</summary>
public sealed record WebhookCreated(WebhookSubscription Subscription, string Secret);
