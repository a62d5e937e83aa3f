namespace MutualAssistance.Domain.Federation;

/// <summary>
/// What a commit of a shared request tells the exchange's outbox: the peer, and how far the peer already has the
/// history. Null <see cref="PeerHas"/>: the new events were recorded here and wait to be sent; a number: they came
/// from the peer, which has them all.
/// </summary>
public sealed record OutboxMark(string Peer, int? PeerHas);
