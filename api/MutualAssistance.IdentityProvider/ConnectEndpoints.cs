using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The OpenID Connect endpoints that OpenIddict validates and hands to us (passthrough): authorization (sign the user
/// in through <see cref="SignInPage"/>, then issue the code), token (the code or a refresh token for new tokens) and
/// end-session (sign out). OpenIddict has already refused an unknown client, a redirect URI not registered, a missing
/// or wrong PKCE verifier and a used code before these run.
/// </summary>
public static class ConnectEndpoints
{
    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string EndSessionPath = "/connect/endsession";

    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void Map(WebApplication app)
    {
        app.MapMethods(AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();
        app.MapPost(TokenPath, TokenAsync).DisableAntiforgery();
        app.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).DisableAntiforgery();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, SeededUsers users, IdentityProviderSettings settings)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var signedIn = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = signedIn.Succeeded ? users.Find(signedIn.Principal.FindFirstValue(Claims.Subject)) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here once signed in, with the same parameters (less prompt=login, which would loop).
            var parameters = request.GetParameters()
                .Where(parameter => parameter.Key != Parameters.Prompt)
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value.ToString()));
            var returnUrl = context.Request.PathBase + AuthorizationPath + QueryString.Create(parameters);
            return Results.Redirect(SignInPage.Path + QueryString.Create(SignInPage.ReturnUrlField, returnUrl));
        }

        return Results.SignIn(TokenIdentity.For(user, request.GetScopes(), settings.Audience), authenticationScheme: Scheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, SeededUsers users, IdentityProviderSettings settings)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only the authorization code and refresh token grants are served.");
        }

        // The principal stored in the code or the refresh token; the user is looked up again, so that a user taken
        // out of the users file gets no new token.
        var granted = await context.AuthenticateAsync(Scheme);
        return users.Find(granted.Principal?.GetClaim(Claims.Subject)) is { } user
            ? Results.SignIn(TokenIdentity.For(user, granted.Principal!.GetScopes(), settings.Audience), authenticationScheme: Scheme)
            : Refuse(Errors.InvalidGrant, "The user is no longer known.");
    }

    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // To the client's post_logout_redirect_uri when it sent a registered one, else to the sign-in page.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = SignInPage.Path }, [Scheme]);
    }

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [Scheme]);
}
