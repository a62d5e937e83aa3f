using MutualAssistance.Domain.Federation;
using MutualAssistance.Domain.History;

namespace MutualAssistance.Federation;

/// <summary>
/// Delivery evidence, signed by the receiver: the hash of the envelope it answers (SHA-256 of the signed payload),
/// what it did, the link it holds at the envelope's last event (<see cref="Committed"/>, which the sender compares
/// with its own) and its chain head.
/// </summary>
public sealed record ExchangeReceipt
{
    public required string EnvelopeHash { get; init; }
    public required ReceiveOutcome Outcome { get; init; }

    /// <summary>The receiver's event at the envelope's last sequence (null when it has none there).</summary>
    public ChainHead? Committed { get; init; }
    public required ChainHead Head { get; init; }
    public string? Detail { get; init; }
}
