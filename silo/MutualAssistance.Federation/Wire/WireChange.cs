using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a change (<see cref="SharedChange"/>): the link its events follow, the events, the request after the last of them.</summary>
public sealed record WireChange
{
    [JsonPropertyName("after")] public required WireChainHead After { get; init; }
    [JsonPropertyName("events")] public required ImmutableArray<WireEvent> Events { get; init; }
    [JsonPropertyName("state")] public required WireRequest State { get; init; }

    public static WireChange ToWire(SharedChange change) => new()
    {
        After = change.After is { } after ? WireChainHead.ToWire(after) : null!,
        Events = WireArrays.Map(change.Events, WireEvent.ToWire),
        State = change.State is { } state ? WireRequest.ToWire(state) : null!,
    };

    public SharedChange ToDomain() => new()
    {
        After = After?.ToDomain()!,
        Events = WireArrays.Map(Events, e => e.ToDomain()),
        State = State?.ToDomain()!,
    };
}
