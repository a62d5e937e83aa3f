using System.Text.Json.Serialization;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Requests;

namespace MutualAssistance.Domain.History;

/// <summary>
/// What a history entry records, typed: the entry's display text (<see cref="HistoryEntry.Event"/> and, for a clock's
/// event, its one clock change) is made from it, and whoever needs a fact of the event (the notifier: the escalation
/// level) reads it here instead of parsing the text. Kept beside the text in <c>request_events.payload</c> as JSON
/// (<see cref="HistoryEventJson"/>). <see cref="Version"/> names the wording the text is made with: a later release
/// that words an event differently adds a version and keeps making version 1's text for version 1 payloads, so that
/// the text of old entries (which their hashes cover) can still be checked against their payloads.
/// </summary>
/// <remarks>
/// The text stays what the hash covers and what travels to a peer (<c>ma-exchange/1</c> refuses unknown fields and a
/// peer on the previous release recomputes hashes from the text), so the payload is bound to the chain through its
/// text: <see cref="HashChain.Verify"/> checks that an entry's payload makes exactly the text its hash covers.
/// </remarks>
[GenerateSerializer, Immutable]
[Alias("ma.HistoryEvent")]
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RequestFiled), "filed")]
[JsonDerivedType(typeof(ActionTaken), "action")]
[JsonDerivedType(typeof(ClockWarned), "clock-warning")]
[JsonDerivedType(typeof(ClockBreached), "clock-breach")]
[JsonDerivedType(typeof(ClockEscalated), "clock-escalation")]
[JsonDerivedType(typeof(DueTimesRecalculated), "recalculation")]
[JsonDerivedType(typeof(PeerActionRefused), "peer-action-refused")]
[JsonDerivedType(typeof(UnreadEvent), "unread")]
public abstract record HistoryEvent
{
    /// <summary>The wording this release makes the text with.</summary>
    public const int CurrentVersion = 1;

    [Id(0)] public int Version { get; init; } = CurrentVersion;

    /// <summary>The event's name, as the history shows it (<see cref="HistoryEntry.Event"/>).</summary>
    [JsonIgnore] public abstract string Name { get; }

    /// <summary>The clock change the event states about itself (a clock's warning, breach, escalation); null when its changes are the action's.</summary>
    [JsonIgnore] public virtual string? Change => null;

    /// <summary>Whether this payload makes exactly <paramref name="eventName"/> and, when it states its own change, <paramref name="changes"/>.</summary>
    public bool Makes(string eventName, IReadOnlyList<string> changes) =>
        string.Equals(Name, eventName, StringComparison.Ordinal)
        && (Change is not { } change || (changes.Count == 1 && string.Equals(changes[0], change, StringComparison.Ordinal)));
}

/// <summary>The filing: event 1 of every request.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.RequestFiled")]
public sealed record RequestFiled : HistoryEvent
{
    public override string Name => "file";
}

/// <summary>An action of the lifecycle, applied (acknowledge, accept, extend, withdraw...).</summary>
[GenerateSerializer, Immutable]
[Alias("ma.ActionTaken")]
public sealed record ActionTaken : HistoryEvent
{
    [Id(0)] public required RequestAction Action { get; init; }

    public override string Name => WireNames.Of(Action);
}

/// <summary>Due times computed again (reference data changed, or the responsible node sent its own); the moves are its changes.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.DueTimesRecalculated")]
public sealed record DueTimesRecalculated : HistoryEvent
{
    public override string Name => "recalculation";
}

/// <summary>The ordering node refused a command of the following node; what and why are in the entry's (sealed) reason.</summary>
[GenerateSerializer, Immutable]
[Alias("ma.PeerActionRefused")]
public sealed record PeerActionRefused : HistoryEvent
{
    public override string Name => AssistanceRequest.RefusedEvent;
}

/// <summary>
/// An entry whose text no payload of this release makes: written before payloads were kept or received from a peer,
/// and not in the wording <see cref="HistoryEventText.Read"/> knows. It keeps its name and its one clock change (for
/// a clock's event) so that it is still shown and notified by its name, as before.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.UnreadEvent")]
public sealed record UnreadEvent : HistoryEvent
{
    [Id(0)] public required string EventName { get; init; }
    [Id(1)] public string? ClockChange { get; init; }

    public override string Name => EventName;
    public override string? Change => ClockChange;
}
