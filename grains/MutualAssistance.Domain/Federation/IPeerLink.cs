namespace MutualAssistance.Domain.Federation;

/// <summary>The way to the peer nodes: the relay that sends what waits, and one immediate try for a command.</summary>
public interface IPeerLink
{
    /// <summary>Something was committed for a peer: the relay sends it now rather than at its next poll.</summary>
    void Kick();

    /// <summary>
    /// Sends <paramref name="command"/> to <paramref name="peer"/> once, waiting at most a short while; null when it
    /// did not get a decision (the relay keeps sending it).
    /// </summary>
    Task<PeerCommandReply?> TrySend(Peer peer, Guid requestId, PeerCommand command, CancellationToken cancellationToken = default);
}
