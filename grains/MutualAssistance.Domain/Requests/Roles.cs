using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Domain.Requests;

/// <summary>
/// Who may act: filers for the requesting side, handlers for the requested side, supervisors for their own side
/// including extensions; viewers only read, and administrators manage their state's calendar but act on no request.
/// </summary>
public static class Roles
{
    /// <summary>Whether <paramref name="role"/> may take <paramref name="action"/> for <paramref name="side"/>.</summary>
    public static bool May(Role role, RequestAction action, Side side) => role switch
    {
        Role.Supervisor => true,
        Role.Filer => side == Side.Requesting && action != RequestAction.Extend,
        Role.Handler => side == Side.Requested && action != RequestAction.Extend,
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="role"/> may put a request on record for <paramref name="side"/>: filers and supervisors
    /// file for their (requesting) authority; handlers and supervisors register a request their (requested)
    /// authority received off-system.
    /// </summary>
    public static bool MayFile(Role role, Side side) => role switch
    {
        Role.Supervisor => true,
        Role.Filer => side == Side.Requesting,
        Role.Handler => side == Side.Requested,
        _ => false,
    };
}
