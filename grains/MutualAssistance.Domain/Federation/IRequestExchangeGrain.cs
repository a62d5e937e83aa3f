namespace MutualAssistance.Domain.Federation;

/// <summary>
/// The exchange's side of a request grain (the same grain as <see cref="Contracts.Requests.IAssistanceRequestGrain"/>):
/// what the exchange endpoint and the relay call. Callers of the API never reach it.
/// </summary>
[Alias("ma.IRequestExchangeGrain")]
public interface IRequestExchangeGrain : IGrainWithGuidKey
{
    /// <summary>Applies events recorded on <paramref name="sender"/> (the ordering node, or the filer's node for the first event).</summary>
    [Alias("Receive")]
    Task<ReceiveResult> Receive(SharedChange change, string sender);

    /// <summary>On the ordering node: decides a command from the following node <paramref name="sender"/>.</summary>
    [Alias("Decide")]
    Task<PeerCommandReply> Decide(PeerCommand command, string sender);

    /// <summary>On the following node: the ordering node's answer to a command sent by the relay; applies its events.</summary>
    [Alias("Decided")]
    Task Decided(int sequence, PeerCommandReply reply);
}
