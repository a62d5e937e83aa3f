using System.ComponentModel.DataAnnotations;

namespace MutualAssistance.Federation;

/// <summary>
/// Section <c>Node</c> as given (<see cref="NodeSettings"/> says what each key means and builds the node's value from
/// it). Every value stays text, as the hand-read settings took it, so that a malformed URL, key or instant is named
/// by the building with the message it always had, not by the binder.
/// </summary>
public sealed class NodeOptions
{
    [Required] public string Id { get; set; } = string.Empty;

    /// <summary>Comma-separated authority codes, or <see cref="NodeSettings.AllAuthorities"/>.</summary>
    [Required] public string Authorities { get; set; } = string.Empty;

    /// <summary>
    /// Not [Required], nor are its entries' keys: only a node with peers signs, and a node without them ignores this
    /// list as it always did; the building names a missing entry or key when there are peers.
    /// </summary>
    public List<NodeSigningKeyOptions> SigningKeys { get; set; } = [];

    public List<NodePeerOptions> Peers { get; set; } = [];
}

/// <summary>One entry of <c>Node:SigningKeys</c>: the key's id, its PEM file, and from when it signs.</summary>
public sealed class NodeSigningKeyOptions
{
    public string? Id { get; set; }

    public string? Path { get; set; }

    public string? NotBefore { get; set; }
}

/// <summary>One entry of <c>Node:Peers</c>: the peer's id, its exchange URL, the authorities it serves and its keys.</summary>
public sealed class NodePeerOptions
{
    [Required] public string Id { get; set; } = string.Empty;

    [Required] public string ExchangeUrl { get; set; } = string.Empty;

    [Required] public string Authorities { get; set; } = string.Empty;

    /// <summary>Not [Required] as a list: none at all is named as its first entry's public key, the key to give first.</summary>
    public List<NodePeerKeyOptions> Keys { get; set; } = [];
}

/// <summary>One entry of <c>Node:Peers:i:Keys</c>: a public key the peer signs with, and when it is valid.</summary>
public sealed class NodePeerKeyOptions
{
    [Required] public string Id { get; set; } = string.Empty;

    [Required] public string PublicKey { get; set; } = string.Empty;

    public string? NotBefore { get; set; }

    public string? NotAfter { get; set; }
}
