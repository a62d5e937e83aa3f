namespace MutualAssistance.Audit;

/// <summary>How an access ended, by the name stored in <c>audit_log.outcome</c>; a refusal is its HTTP status.</summary>
public static class AuditOutcomes
{
    /// <summary>The data was served to the caller.</summary>
    public const string Served = "served";

    /// <summary>A change landed (filing, action) and the request was served back.</summary>
    public const string Applied = "applied";

    /// <summary>An action was stored here and waits for the node that orders the request; the request was served back.</summary>
    public const string Pending = "pending";

    /// <summary>A token was validated: the caller logged on.</summary>
    public const string Accepted = "accepted";

    /// <summary>A peer node acknowledged the envelope (its signed receipt).</summary>
    public const string Delivered = "delivered";

    /// <summary>A refused call: its status code (401, 403, 404).</summary>
    public static string Refused(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
