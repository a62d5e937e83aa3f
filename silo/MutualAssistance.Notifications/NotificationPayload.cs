using System.Collections.Immutable;
using System.Text.Json;

namespace MutualAssistance.Notifications;

/// <summary>
/// What the notifier tells of an event: the body a webhook receiver gets (Standard Webhooks' type, timestamp, data)
/// and what a mail item keeps to be written from. One type for both, so that the mail reads the fields the webhook
/// sends by their names here instead of looking them up by string in the JSON. Ids, codes, times and the clock's
/// change; no personal data (the subject only where the mail's settings ask for it, never to a webhook).
/// </summary>
/// <remarks>
/// The names on the wire are the properties' camelCase names (<see cref="JsonSerializerDefaults.Web"/>) in the order
/// declared, a null subject written as null: receivers parse these bodies, so a rename here is a change of contract.
/// </remarks>
public sealed record NotificationPayload(string Type, DateTimeOffset Timestamp, NotificationData Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NotificationPayload Of(string type, QueuedEvent e, string authority, bool includeSubject) => new(
        type,
        e.At,
        new NotificationData(
            e.RequestId, e.Sequence, e.Event, e.At, authority, e.ActorAuthority, e.RequestingAuthority, e.RequestedAuthority,
            e.ClockChanges.IsDefault ? [] : e.ClockChanges, includeSubject ? e.Subject : null));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A payload as <see cref="ToJson"/> wrote it (a mail item's, stored in <c>email_items</c>).</summary>
    public static NotificationPayload FromJson(string json) =>
        JsonSerializer.Deserialize<NotificationPayload>(json, Json) ?? throw new JsonException("A notification payload is null.");
}

/// <summary>The event told: its request, its place in the history, the authority told, the parties and the clock's change.</summary>
public sealed record NotificationData(
    Guid RequestId,
    int Sequence,
    string Event,
    DateTimeOffset At,
    string Authority,
    string? ActorAuthority,
    string RequestingAuthority,
    string RequestedAuthority,
    ImmutableArray<string> ClockChanges,
    string? Subject);
