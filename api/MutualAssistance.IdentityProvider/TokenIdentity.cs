using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The identity a token is issued for: <c>sub</c> (the user's id), <c>name</c>, <c>authority</c> and <c>role</c> as the
/// API reads them, the granted scopes and the API as the audience. Built from the users file at every issue, so a
/// refreshed token carries the user's claims as they are now.
/// </summary>
public static class TokenIdentity
{
    public const string AuthorityClaim = "authority";

    public static ClaimsPrincipal For(SeededUser user, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(AuthorityClaim, user.Authority)
            .SetClaim(Claims.Role, user.Role);
        identity.SetScopes(scopes);
        identity.SetResources(audience);
        identity.SetDestinations(claim => claim.Type switch
        {
            // The API needs these in the access token; the page may show them from the identity token.
            Claims.Subject or Claims.Name or AuthorityClaim or Claims.Role => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }
}
