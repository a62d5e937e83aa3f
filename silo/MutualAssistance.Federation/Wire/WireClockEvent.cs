using System.Text.Json.Serialization;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.Clocks;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a warning, breach or escalation of the following node's clock (<see cref="ClockEvent"/>); every field required, as the domain's constructor required them.</summary>
public sealed record WireClockEvent
{
    [JsonPropertyName("clockId")] public required int ClockId { get; init; }
    [JsonPropertyName("kind")] public required ClockKind Kind { get; init; }
    [JsonPropertyName("event")] public required ClockEventKind Event { get; init; }
    [JsonPropertyName("dueAt")] public required DateTimeOffset DueAt { get; init; }
    [JsonPropertyName("value")] public required int Value { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }

    public static WireClockEvent ToWire(ClockEvent clockEvent) => new()
    {
        ClockId = clockEvent.ClockId,
        Kind = clockEvent.Kind,
        Event = clockEvent.Event,
        DueAt = clockEvent.DueAt,
        Value = clockEvent.Value,
        Description = clockEvent.Description,
    };

    public ClockEvent ToDomain() => new(ClockId, Kind, Event, DueAt, Value, Description);
}
