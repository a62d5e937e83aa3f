using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Page;

/// <summary>
/// How the page signs its user in: the OpenID Connect provider (<c>Page:SignIn:Issuer</c>) the page sends the user to
/// with the authorization code flow and PKCE, its client id and the scopes it asks for. The API must trust the same
/// provider's tokens (<c>Authentication:Schemes:*</c>). Without an issuer the page says sign-in is not configured on
/// this node (scripts still call the API with tokens); with one, the client id and scope are required.
/// </summary>
public sealed record PageSignIn(Uri? Issuer, string? ClientId, string? Scope)
{
    public const string Section = "Page:SignIn";
    public const string IssuerSetting = Section + ":Issuer";
    public const string ClientIdSetting = Section + ":ClientId";
    public const string ScopeSetting = Section + ":Scope";

    public static PageSignIn From(IConfiguration configuration)
    {
        if (configuration[IssuerSetting] is not { Length: > 0 } issuer)
        {
            return new PageSignIn(null, null, null);
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            throw new InvalidOperationException($"Setting '{IssuerSetting}' must be an absolute https URL (http only on loopback), not '{issuer}'.");
        }

        return new PageSignIn(uri, configuration.GetRequired(ClientIdSetting), configuration.GetRequired(ScopeSetting));
    }

    /// <summary>The provider's origin, which the page's Content-Security-Policy lets it call (discovery, token, JWKS).</summary>
    public string? Origin => Issuer?.GetLeftPart(UriPartial.Authority);
}
