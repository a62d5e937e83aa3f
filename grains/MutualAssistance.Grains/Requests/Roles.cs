using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Grains.Requests;

/// <summary>
/// Who may act: filers for the requesting side, handlers for the requested side, supervisors for their own side
/// including extensions, viewers (and administrators, who manage reference data) only read.
/// </summary>
public static class Roles
{
    public const string Filer = "filer";
    public const string Handler = "handler";
    public const string Supervisor = "supervisor";
    public const string Viewer = "viewer";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Filer, Handler, Supervisor, Viewer, Admin];

    /// <summary>Whether <paramref name="role"/> may take <paramref name="action"/> for <paramref name="side"/>.</summary>
    public static bool May(string role, RequestAction action, Side side) => role switch
    {
        Supervisor => true,
        Filer => side == Side.Requesting && action != RequestAction.Extend,
        Handler => side == Side.Requested && action != RequestAction.Extend,
        _ => false,
    };

    /// <summary>Whether the role acts at all (reads do not count).</summary>
    public static bool Acts(string role) => role is Filer or Handler or Supervisor;
}
