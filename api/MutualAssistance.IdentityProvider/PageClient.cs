using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// Registers the API page's client (<see cref="IdentityProviderSettings.PageClientId"/>): public (no secret), the
/// authorization code flow with PKCE required, refresh tokens, end-session, and only the configured redirect URIs.
/// </summary>
public static class PageClient
{
    public static async Task RegisterAsync(IServiceProvider services, IdentityProviderSettings settings, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(IdentityProviderSettings.PageClientId, cancellationToken) is not null)
        {
            return;
        }

        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = IdentityProviderSettings.PageClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "MutualAssistance page",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in settings.RedirectUris)
        {
            client.RedirectUris.Add(uri);
        }

        foreach (var uri in settings.PostLogoutRedirectUris)
        {
            client.PostLogoutRedirectUris.Add(uri);
        }

        await applications.CreateAsync(client, cancellationToken);
    }
}
