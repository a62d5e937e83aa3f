using MutualAssistance.Domain.Federation;

namespace MutualAssistance.Federation;

/// <summary>
/// The payload of every signed envelope (COSE_Sign1, ES256), as JSON (<see cref="ExchangeJson"/>). Only the fields
/// in <see cref="ExchangeSchema.Fields"/> may appear in it: the shared request and nothing local.
/// </summary>
public sealed record ExchangeMessage
{
    public const string CurrentProtocol = "ma-exchange/1";

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
