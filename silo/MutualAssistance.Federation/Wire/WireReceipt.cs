using System.Text.Json.Serialization;
using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation.Wire;

/// <summary><c>ma-exchange/1</c>: a receipt (<see cref="ExchangeReceipt"/>): the envelope's hash, what the receiver did, its link at the envelope's last event and its head.</summary>
public sealed record WireReceipt
{
    [JsonPropertyName("envelopeHash")] public required string EnvelopeHash { get; init; }
    [JsonPropertyName("outcome")] public required ReceiveOutcome Outcome { get; init; }
    [JsonPropertyName("committed")] public WireChainHead? Committed { get; init; }
    [JsonPropertyName("head")] public required WireChainHead Head { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    public static WireReceipt ToWire(ExchangeReceipt receipt) => new()
    {
        EnvelopeHash = receipt.EnvelopeHash,
        Outcome = receipt.Outcome,
        Committed = receipt.Committed is { } committed ? WireChainHead.ToWire(committed) : null,
        Head = receipt.Head is { } head ? WireChainHead.ToWire(head) : null!,
        Detail = receipt.Detail,
    };

    public ExchangeReceipt ToDomain() => new()
    {
        EnvelopeHash = EnvelopeHash,
        Outcome = Outcome,
        Committed = Committed?.ToDomain(),
        Head = Head?.ToDomain()!,
        Detail = Detail,
    };
}
