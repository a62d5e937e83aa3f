using System.Collections.Immutable;

namespace MutualAssistance.Domain.Federation;

/// <summary>
/// What the exchange keeps beside a request: the commands this node sent for it and their decisions, changes held
/// until a gap is filled, and the delivery state shown with the request. (The outgoing events themselves are the
/// request's history: the commit marks them for the peer in the same transaction.)
/// </summary>
public interface IExchangeStore
{
    /// <summary>Stores a command for the ordering node; it is sent until decided.</summary>
    Task AddCommand(Guid requestId, string peer, PeerCommand command, CancellationToken cancellationToken = default);

    /// <summary>Whether a command of <paramref name="kind"/> (<see cref="PeerCommand.Kind"/>; null: of any kind) waits undecided for the request.</summary>
    Task<bool> HasPending(Guid requestId, string? kind, CancellationToken cancellationToken = default);

    /// <summary>The highest command number used for the request (0: none).</summary>
    Task<int> LastCommand(Guid requestId, CancellationToken cancellationToken = default);

    Task CommandDecided(Guid requestId, PeerCommandDecision decision, CancellationToken cancellationToken = default);

    /// <summary>Keeps a change that arrived before the events it follows.</summary>
    Task Hold(Guid requestId, string sender, SharedChange change, CancellationToken cancellationToken = default);

    /// <summary>The held changes of a request, oldest link first; <see cref="Release"/> removes one once applied or superseded.</summary>
    Task<ImmutableArray<SharedChange>> Held(Guid requestId, CancellationToken cancellationToken = default);

    Task Release(Guid requestId, int after, CancellationToken cancellationToken = default);

    /// <summary>The hash of the request's stored event <paramref name="sequence"/>, or null.</summary>
    Task<string?> HashAt(Guid requestId, int sequence, CancellationToken cancellationToken = default);

    /// <summary>The exchange state of a shared request as this node sees it, for the request's view.</summary>
    Task<Contracts.Requests.ExchangeView> View(Guid requestId, Placement placement, CancellationToken cancellationToken = default);
}
