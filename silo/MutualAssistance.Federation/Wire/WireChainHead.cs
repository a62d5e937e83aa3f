using System.Text.Json.Serialization;
using MutualAssistance.Domain.History;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a link of a request's hash chain (a change's <c>after</c>, a state's <c>head</c>, a receipt's <c>committed</c> and <c>head</c>).</summary>
public sealed record WireChainHead
{
    [JsonPropertyName("sequence")] public required int Sequence { get; init; }
    [JsonPropertyName("hash")] public required string Hash { get; init; }

    public static WireChainHead ToWire(ChainHead head) => new() { Sequence = head.Sequence, Hash = head.Hash };

    public ChainHead ToDomain() => new() { Sequence = Sequence, Hash = Hash };
}
