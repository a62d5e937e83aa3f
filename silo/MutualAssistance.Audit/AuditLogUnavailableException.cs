namespace MutualAssistance.Audit;

/// <summary>
/// The consultation log could not take an entry (its database failed or timed out, or the writer is stopping):
/// whatever the entry was to record must not be served (the API answers 503).
/// </summary>
public sealed class AuditLogUnavailableException : Exception
{
    public AuditLogUnavailableException()
        : this("The consultation log cannot be written.")
    {
    }

    public AuditLogUnavailableException(string message)
        : base(message)
    {
    }

    public AuditLogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
