namespace MutualAssistance.ReadSide.Queries;

/// <summary>One request in a list, as the read model holds it (it trails the grains by milliseconds).</summary>
public sealed record RequestSummary(
    Guid Id,
    int Version,
    string Status,
    string RequestingAuthority,
    string RequestedAuthority,
    string LegalBasis,
    string Urgency,
    string Subject,
    DateTimeOffset FiledAt,
    DateTimeOffset ReceivedAt,
    int EscalationLevel,
    DateTimeOffset? NextDueAt,
    bool Overdue);

public sealed record RequestPage(IReadOnlyList<RequestSummary> Items, string? NextCursor);
