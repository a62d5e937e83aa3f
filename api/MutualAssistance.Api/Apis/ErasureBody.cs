namespace MutualAssistance.Api.Apis;

/// <summary>The JSON body of <c>POST /api/requests/{id}/erasure</c>.</summary>
public sealed record ErasureBody
{
    /// <summary>The lawful order the erasure carries out (its reference and authority), required; recorded in the audit log.</summary>
    public string? Reason { get; init; }
}
