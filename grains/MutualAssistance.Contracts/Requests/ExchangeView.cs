using System.Collections.Immutable;

namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// How a request shared with another node stands in the exchange, as this node sees it: which node orders its
/// events, whether this node's last change has reached the peer (when, or pending since when and the last error),
/// the commands still waiting, the last refusal, and whether the peer's receipts agree with this node's history.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("ma.ExchangeView")]
public sealed record ExchangeView
{
    [Id(0)] public required string Peer { get; init; }

    /// <summary>The node that orders the request's events.</summary>
    [Id(1)] public required string OrderedBy { get; init; }

    /// <summary><c>delivered</c> or <c>pending</c>: this node's last change to the request.</summary>
    [Id(2)] public required string Delivery { get; init; }
    [Id(3)] public DateTimeOffset? DeliveredAt { get; init; }
    [Id(4)] public DateTimeOffset? PendingSince { get; init; }
    [Id(5)] public string? LastError { get; init; }
    [Id(6)] public int Attempts { get; init; }

    /// <summary>Actions taken here and sent to the ordering node, not yet decided there.</summary>
    [Id(7)] public ImmutableArray<PendingCommandView> PendingCommands { get; init; } = [];

    /// <summary>The last action taken here that the ordering node refused, if any.</summary>
    [Id(8)] public PendingCommandView? LastRefused { get; init; }

    /// <summary>False when a receipt's chain head disagreed with this node's history (an alert is raised).</summary>
    [Id(9)] public required bool InAgreement { get; init; }
}

[GenerateSerializer, Immutable]
[Alias("ma.PendingCommandView")]
public sealed record PendingCommandView
{
    [Id(0)] public required int Sequence { get; init; }
    [Id(1)] public required RequestAction Action { get; init; }
    [Id(2)] public required string Subject { get; init; }
    [Id(3)] public required DateTimeOffset Since { get; init; }
    [Id(4)] public string? Outcome { get; init; }
    [Id(5)] public string? Detail { get; init; }
    [Id(6)] public string? LastError { get; init; }
}
