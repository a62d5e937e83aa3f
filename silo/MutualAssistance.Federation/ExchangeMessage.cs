using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// A message of the exchange as this node handles it, in the domain's terms. On the wire it is its wire record
/// (<see cref="Wire.WireMessage"/>, written and read by <see cref="ExchangeJson"/>): only the fields those records
/// name travel, the shared request and nothing local.
/// </summary>
public sealed record ExchangeMessage
{
    public const string CurrentProtocol = Wire.WireMessage.Version;

    public required string Protocol { get; init; }
    public required MessageKind Kind { get; init; }
    public required string Sender { get; init; }
    public required string Recipient { get; init; }
    public required Guid RequestId { get; init; }
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The per-request sequence: of the last event carried (change), of the command (command, decision).</summary>
    public required int Sequence { get; init; }

    /// <summary><see cref="MessageKind.Change"/>, <see cref="MessageKind.Decision"/>: the events, what they follow, the request after them.</summary>
    public SharedChange? Change { get; init; }

    public PeerCommand? Command { get; init; }

    public PeerCommandDecision? Decision { get; init; }

    public ExchangeReceipt? Receipt { get; init; }
}
