using System.Collections.Frozen;
using System.Collections.Immutable;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Federation;

/// <summary>
/// Which node serves which central authority: this node's own authorities (or every authority, the one-node shape)
/// and its peers'. The one owner of where a request lives and who orders its events (<see cref="PlacementOf"/>).
/// </summary>
public sealed class NodeMap
{
    private readonly FrozenSet<string> authorities;
    private readonly FrozenDictionary<string, Peer> peerByAuthority;

    public NodeMap(string nodeId, bool servesAll, IEnumerable<string> authorities, IEnumerable<Peer> peers)
    {
        NodeId = nodeId;
        ServesAll = servesAll;
        this.authorities = authorities.ToFrozenSet(StringComparer.Ordinal);
        Peers = [.. peers];
        peerByAuthority = Peers.SelectMany(p => p.Authorities.Select(a => KeyValuePair.Create(a, p))).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>One node serving every authority, with no peers: the shape before federation.</summary>
    public static NodeMap Alone(string nodeId) => new(nodeId, servesAll: true, [], []);

    public string NodeId { get; }

    public bool ServesAll { get; }

    public IReadOnlySet<string> Authorities => authorities;

    public ImmutableArray<Peer> Peers { get; }

    /// <summary>Whether this node serves <paramref name="authority"/> (false for none: a filing that lacks it is refused by its own rules).</summary>
    public bool ServesHere(string? authority) =>
        authority is not null && (ServesAll ? !peerByAuthority.ContainsKey(authority) : authorities.Contains(authority));

    public Peer? PeerServing(string? authority) => authority is null ? null : peerByAuthority.GetValueOrDefault(authority);

    public Peer? Peer(string nodeId) => Peers.FirstOrDefault(p => p.Id == nodeId);

    /// <summary>
    /// Where a request between these two authorities lives. Both here: local. One here and one on a peer: shared,
    /// and its events are ordered by the node of the requested authority (the side that acts most); the other node
    /// follows, sending its callers' actions there as commands. Null when this node serves neither authority.
    /// </summary>
    public Placement? PlacementOf(string? requestingAuthority, string? requestedAuthority)
    {
        var requestingHere = ServesHere(requestingAuthority);
        var requestedHere = ServesHere(requestedAuthority);
        return (requestingHere, requestedHere) switch
        {
            (true, true) => Placement.Local,
            (true, false) when PeerServing(requestedAuthority) is { } peer => new Placement(RequestRole.Follows, peer),
            (false, true) when PeerServing(requestingAuthority) is { } peer => new Placement(RequestRole.Orders, peer),
            _ => null,
        };
    }

    public Placement? PlacementOf(FileRequest filed) => PlacementOf(filed.RequestingAuthority, filed.RequestedAuthority);

    /// <summary>
    /// The federation's checks on a filing: both authorities served by this node or a peer, one of them by this
    /// node, and the filer's own authority by this node. Field name to message; empty when the filing may go ahead.
    /// </summary>
    public ImmutableDictionary<string, FieldMessage> FilingErrors(FileRequest request)
    {
        var errors = ImmutableDictionary.CreateBuilder<string, FieldMessage>();
        foreach (var (field, authority) in new[] { ("requestingAuthority", request.RequestingAuthority), ("requestedAuthority", request.RequestedAuthority) })
        {
            if (!string.IsNullOrEmpty(authority) && !ServesHere(authority) && PeerServing(authority) is null)
            {
                errors[field] = FieldMessages.ServedNowhere(authority, NodeId);
            }
        }

        if (errors.Count == 0 && !string.IsNullOrEmpty(request.RequestingAuthority) && !string.IsNullOrEmpty(request.RequestedAuthority)
            && PlacementOf(request) is null)
        {
            errors["requestedAuthority"] = FieldMessages.NeitherPartyHere(NodeId);
        }

        return errors.ToImmutable();
    }
}

/// <summary>A peer node: its id, where its exchange endpoint is, and the authorities it serves.</summary>
public sealed record Peer(string Id, Uri ExchangeUrl, ImmutableArray<string> Authorities);

/// <summary>Where a request lives: <see cref="RequestRole.Local"/>, or shared with <see cref="Peer"/>.</summary>
public sealed record Placement(RequestRole Role, Peer? Peer)
{
    public static readonly Placement Local = new(RequestRole.Local, null);

    public bool IsShared => Peer is not null;
}

public enum RequestRole
{
    /// <summary>Both parties are served here: nothing is exchanged.</summary>
    Local,

    /// <summary>This node orders the request's events (it serves the requested authority) and sends them to the peer.</summary>
    Orders,

    /// <summary>The peer orders the request's events; this node applies them and sends its callers' actions as commands.</summary>
    Follows,
}
