using System.Security.Claims;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Api.Security;

/// <summary>
/// The authenticated caller as the grains know it: subject, authority (claim <c>authority</c>) and role (claim
/// <c>role</c>; with several, the most capable: supervisor, then handler, filer, viewer, admin).
/// </summary>
public static class Caller
{
    public const string AuthorityClaim = "authority";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    private static readonly string[] ByCapability = ["supervisor", "handler", "filer", "viewer", "admin"];

    public static Actor Actor(this ClaimsPrincipal user) => new()
    {
        Subject = user.FindFirstValue(SubjectClaim) ?? user.Identity?.Name ?? "unknown",
        Authority = user.FindFirstValue(AuthorityClaim) ?? string.Empty,
        Role = ByCapability.FirstOrDefault(user.IsInRole) ?? string.Empty,
    };

    public static string Authority(this ClaimsPrincipal user) => user.FindFirstValue(AuthorityClaim) ?? string.Empty;

    public static bool IsParty(this ClaimsPrincipal user, AssistanceRequestView request) =>
        request.RequestingAuthority == user.Authority() || request.RequestedAuthority == user.Authority();
}
