namespace MutualAssistance.Contracts.Requests;

/// <summary>
/// What a caller may do for its authority (token claim <c>role</c>, by its wire name: <c>filer</c>, ...). Who may
/// take which action is decided by the domain's rules; this type only names the roles, in one place.
/// </summary>
[Alias("ma.Role")]
public enum Role
{
    /// <summary>Files requests and acts for the requesting side.</summary>
    Filer = 0,

    /// <summary>Registers received requests and acts for the requested side.</summary>
    Handler = 1,

    /// <summary>Acts for its own side, extensions included.</summary>
    Supervisor = 2,

    /// <summary>Reads only.</summary>
    Viewer = 3,

    /// <summary>Manages its state's reference data (calendar closures); reads requests only.</summary>
    Admin = 4,

    /// <summary>
    /// Reads its authority's consultation and disclosure log and verifies chains; reads no request's personal data
    /// and takes no action (the API refuses it both, 403; the domain's rules let it act on nothing).
    /// </summary>
    Auditor = 5,
}
