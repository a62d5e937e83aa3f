using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authentication.Cookies;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The development identity provider: OpenIddict's server with the authorization code flow (PKCE required), refresh
/// tokens, end-session, discovery and JWKS; access tokens as signed, unencrypted JWTs for the API's audience; the
/// seeded users' sign-in page. <see cref="Build"/> is what <c>Main</c> runs and what the tests start on a free port.
/// </summary>
public static class IdentityProviderHost
{
    public static async Task Main(string[] args)
    {
        await using var app = await BuildAsync(args);
        await app.RunAsync();
    }

    /// <summary>The provider, its page client registered; <paramref name="configure"/> may add settings first.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = IdentityProviderSettings.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(SeededUsers.Load(settings.UsersPath));

        // One in-memory database per provider instance (several may run in one test process).
        var database = "identity-provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<IdentityProviderDbContext>(options =>
        {
            options.UseInMemoryDatabase(database);
            options.UseOpenIddict();
        });

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.Cookie.Name = "ma-idp";
            options.LoginPath = SignInPage.Path;
            options.ReturnUrlParameter = SignInPage.ReturnUrlField;
        });
        builder.Services.AddAuthorization();
        // The page signs in from the API's origin: its calls to discovery, JWKS and the token endpoint are cross-origin.
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins([.. settings.ClientOrigins]).AllowAnyHeader().WithMethods(HttpMethods.Get, HttpMethods.Post)));
        builder.Services.AddAntiforgery();

        var signingKey = SigningKey.LoadOrCreate(settings.SigningKeyPath);
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityProviderDbContext>())
            .AddServer(options =>
            {
                options.SetIssuer(settings.Issuer)
                    .SetAuthorizationEndpointUris(ConnectEndpoints.AuthorizationPath.TrimStart('/'))
                    .SetTokenEndpointUris(ConnectEndpoints.TokenPath.TrimStart('/'))
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSessionPath.TrimStart('/'));
                options.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                // S256 only: a "plain" challenge is the verifier itself, no protection against a code seen in transit.
                options.Configure(server => server.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                options.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                options.AddSigningKey(signingKey);
                // Codes and refresh tokens are encrypted for the provider alone and die with its in-memory store anyway,
                // so their key need not outlive the process. Access tokens are not encrypted: the API validates them as
                // plain signed JWTs against the JWKS.
                options.AddEphemeralEncryptionKey();
                options.DisableAccessTokenEncryption();
                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (settings.Issuer.Scheme == Uri.UriSchemeHttp)
                {
                    // A loopback development provider over plain HTTP (run.sh, the tests).
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        var app = builder.Build();
        app.UseMiddleware<PageSecurityHeaders>();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        SignInPage.Map(app);
        ConnectEndpoints.Map(app);
        await PageClient.RegisterAsync(app.Services, settings, CancellationToken.None);
        return app;
    }
}
