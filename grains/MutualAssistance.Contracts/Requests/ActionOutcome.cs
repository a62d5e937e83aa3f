namespace MutualAssistance.Contracts.Requests;

[Alias("ma.ActionOutcome")]
public enum ActionOutcome
{
    /// <summary>Done and stored.</summary>
    Applied = 0,

    /// <summary>The caller's authority is neither party, or nothing was filed under this id.</summary>
    NotFound = 1,

    /// <summary>The caller's role may not take the action, or not for this side.</summary>
    Forbidden = 2,

    /// <summary>The action is not allowed in the request's status; see the allowed ones.</summary>
    NotAllowedInStatus = 3,

    /// <summary>The action lacks what it needs or breaks a rule (see the field errors).</summary>
    Invalid = 4,

    /// <summary>The caller's expected version is not the current one.</summary>
    VersionMismatch = 5,

    /// <summary>
    /// Accepted, not yet decided: the request's events are ordered by the other party's node, which could not be
    /// reached at once; the action is stored here and sent until that node decides it (see the request's exchange).
    /// </summary>
    Pending = 6,
}
