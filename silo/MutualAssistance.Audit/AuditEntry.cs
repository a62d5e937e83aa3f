namespace MutualAssistance.Audit;

/// <summary>
/// One entry of the node's consultation and disclosure log, before it is linked into the chain (the database
/// numbers and hashes it: <c>audit_append</c>). It names people by their staff ids and requests by their ids only:
/// never a name, fact or free text of a request.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>When the access happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The caller's staff id (token <c>sub</c>); <c>node:&lt;id&gt;</c> for the node itself; null when unauthenticated.</summary>
    public string? Subject { get; init; }

    /// <summary>The caller's authority code; null when unauthenticated or for the node itself.</summary>
    public string? Authority { get; init; }

    /// <summary>The caller's role, by its wire name.</summary>
    public string? Role { get; init; }

    /// <summary>What was done (<see cref="AuditActions"/>).</summary>
    public required string Action { get; init; }

    public Guid? RequestId { get; init; }

    /// <summary>Which parts of the request were served or sent (<see cref="AuditParts"/>), comma-separated.</summary>
    public string? Parts { get; init; }

    /// <summary>How it ended (<see cref="AuditOutcomes"/>).</summary>
    public required string Outcome { get; init; }

    /// <summary>The purpose the caller gave (<c>X-Purpose</c>), as given.</summary>
    public string? Purpose { get; init; }

    /// <summary>For a disclosure to a peer node: its node id.</summary>
    public string? Recipient { get; init; }

    /// <summary>For an aggregate of refused unauthenticated calls: the client address they came from (null if unknown).</summary>
    public string? Source { get; init; }

    /// <summary>How many calls the entry stands for: null for one (every entry but an aggregate), otherwise at least one.</summary>
    public int? Calls { get; init; }
}
