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

        builder.Services.AddSingleton<InMemoryStore>();
        builder.Services.AddDbContext<IdentityProviderDbContext>((services, options) =>
        {
            options.UseSqlite(services.GetRequiredService<InMemoryStore>().ConnectionString);
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
                // Rolling refresh tokens (OpenIddict's default, with token storage): each is redeemed once. No leeway for a
                // second use (the default allows 30 s): a code or refresh token used again is a stolen copy or its
                // original, and OpenIddict then revokes every token of that sign-in (its ad-hoc authorization: the tokens a
                // code or refresh token is redeemed for inherit it).
                options.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
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
        await InMemoryStore.CreateAsync(app.Services, CancellationToken.None);
        await PageClient.RegisterAsync(app.Services, settings, CancellationToken.None);
        return app;
    }
}
