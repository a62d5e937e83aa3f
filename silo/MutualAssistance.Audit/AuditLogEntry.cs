namespace MutualAssistance.Audit;

/// <summary>One entry of the consultation and disclosure log as stored: its place in the chain and its links.</summary>
public sealed record AuditLogEntry(
    long Sequence,
    DateTimeOffset At,
    string? Subject,
    string? Authority,
    string? Role,
    string Action,
    Guid? RequestId,
    string? Parts,
    string Outcome,
    string? Purpose,
    string? Recipient,
    string PreviousHash,
    string Hash);

/// <summary>A page of the log, oldest first; <see cref="NextCursor"/> is the cursor of the next page, null on the last.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditLogEntry> Items, string? NextCursor);
