using System.Security.Claims;
using MutualAssistance.Contracts;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Security;

/// <summary>
/// The authenticated caller as the grains know it: subject, authority (claim <c>authority</c>, exactly one) and
/// role (claim <c>role</c>, by its wire name; with several, the most capable: supervisor, then handler, filer,
/// admin, viewer, auditor: a token carrying another role with auditor acts with that role, so auditing is a token of
/// its own). <see cref="Problem"/> says why a validated token still names no single identity.
/// </summary>
public static class Caller
{
    public const string AuthorityClaim = "authority";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    private static readonly Role[] ByCapability = [Role.Supervisor, Role.Handler, Role.Filer, Role.Admin, Role.Viewer, Role.Auditor];

    public static Actor Actor(this ClaimsPrincipal user) => new()
    {
        Subject = user.FindFirstValue(SubjectClaim) ?? user.Identity?.Name ?? "unknown",
        Authority = user.Authority(),
        Role = RoleOf(user) ?? throw new InvalidOperationException("The caller has no known role; authentication should have refused the token."),
    };

    public static string Authority(this ClaimsPrincipal user) => user.FindFirstValue(AuthorityClaim) ?? string.Empty;

    /// <summary>Why the token's claims name no single caller (null when they do): exactly one authority, at least one known role.</summary>
    public static string? Problem(ClaimsPrincipal user)
    {
        var authorities = user.FindAll(AuthorityClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).Count();
        if (authorities != 1)
        {
            return $"A token must carry exactly one '{AuthorityClaim}' claim; this one carries {authorities}. Ask for a token per authority you act for.";
        }

        return RoleOf(user) is null
            ? $"A token must carry at least one known '{RoleClaim}' claim ({string.Join(", ", WireNames.All<Role>())}); this one carries none."
            : null;
    }

    public static bool IsParty(this ClaimsPrincipal user, AssistanceRequestView request) =>
        request.RequestingAuthority == user.Authority() || request.RequestedAuthority == user.Authority();

    private static Role? RoleOf(ClaimsPrincipal user)
    {
        var roles = user.FindAll(RoleClaim).Select(c => WireNames.TryParse<Role>(c.Value, out var role) ? role : (Role?)null).Where(r => r is not null).ToHashSet();
        return ByCapability.Cast<Role?>().FirstOrDefault(roles.Contains);
    }
}
