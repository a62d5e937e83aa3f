namespace MutualAssistance.Audit;

/// <summary>Whether the node's consultation log still holds: every entry checked, the first that breaks the chain.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? BrokenAt, string? Detail);
