using System.Collections.Immutable;
using System.Text.Json.Serialization;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation.Wire;

/// <summary>
/// <c>ma-exchange/1</c>: a command of the following node (<see cref="PeerCommand"/>): an action and its actor, clock
/// events, or due times. Both arrays are always written, empty when the command carries none.
/// </summary>
public sealed record WireCommand
{
    [JsonPropertyName("sequence")] public required int Sequence { get; init; }
    [JsonPropertyName("action")] public WireAction? Action { get; init; }
    [JsonPropertyName("actor")] public WireActor? Actor { get; init; }
    [JsonPropertyName("basedOn")] public required int BasedOn { get; init; }
    [JsonPropertyName("issuedAt")] public required DateTimeOffset IssuedAt { get; init; }
    [JsonPropertyName("clockEvents")] public ImmutableArray<WireClockEvent> ClockEvents { get; init; } = [];
    [JsonPropertyName("dueTimes")] public ImmutableArray<WireClockDue> DueTimes { get; init; } = [];

    public static WireCommand ToWire(PeerCommand command) => new()
    {
        Sequence = command.Sequence,
        Action = command.Action is { } action ? WireAction.ToWire(action) : null,
        Actor = command.Actor is { } actor ? WireActor.ToWire(actor) : null,
        BasedOn = command.BasedOn,
        IssuedAt = command.IssuedAt,
        ClockEvents = WireArrays.Map(command.ClockEvents, WireClockEvent.ToWire),
        DueTimes = WireArrays.Map(command.DueTimes, WireClockDue.ToWire),
    };

    public PeerCommand ToDomain() => new()
    {
        Sequence = Sequence,
        Action = Action?.ToDomain(),
        Actor = Actor?.ToDomain(),
        BasedOn = BasedOn,
        IssuedAt = IssuedAt,
        ClockEvents = WireArrays.Map(ClockEvents, e => e.ToDomain()),
        DueTimes = WireArrays.Map(DueTimes, d => d.ToDomain()),
    };
}
