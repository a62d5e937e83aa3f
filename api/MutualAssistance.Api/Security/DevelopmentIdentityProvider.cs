using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Security;

/// <summary>
/// Trust in the development identity provider (<c>api/MutualAssistance.IdentityProvider</c>) beside the
/// <c>Bearer</c> scheme's own keys (<c>dotnet user-jwts</c>, the tests' keys): a second JwtBearer scheme,
/// <see cref="Scheme"/>, with the provider as its OIDC <c>Authority</c> (discovery and JWKS, its issuer validated) and
/// its own audiences, from <see cref="Section"/>. The <c>Bearer</c> scheme forwards a token whose (unvalidated) <c>iss</c>
/// is the provider's to it, and handles every other token itself, so a user-jwts token never waits on the provider.
/// Both schemes run the same checks (<see cref="Caller.Problem"/>, the validated-token cache, the log-on log). Only
/// when <see cref="Section"/>'s <c>Authority</c> is set, and only in Development: the provider signs anyone in without
/// a password, so any other environment (Staging, Production, a custom or unnamed one) refuses to start with it; there
/// the one issuer is <c>Authentication:Schemes:Bearer:Authority</c>. A loopback provider may serve its metadata over
/// plain HTTP.
/// </summary>
public static class DevelopmentIdentityProvider
{
    public const string Scheme = "IdentityProvider";
    public const string Section = "Authentication:Schemes:" + Scheme;

    private static readonly JsonWebTokenHandler Handler = new();

    public static void AddTo(AuthenticationBuilder authentication, IConfiguration configuration, IHostEnvironment environment, Action<JwtBearerOptions> configureBearer)
    {
        // Read at registration (RequiredOptions' binding, nothing required): it decides whether the scheme exists.
        var settings = configuration.GetRequiredOptions<DevelopmentIdentityProviderOptions>(Section);
        if (string.IsNullOrWhiteSpace(settings.Authority))
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Setting '{Section}:Authority' names the development identity provider, which signs anyone in without a password and "
                + $"is trusted in Development only, not in '{environment.EnvironmentName}'; remove it and set "
                + $"'{AuthenticationSetup.Section}:Authority' to the node's OpenID Connect provider instead.");
        }

        if (settings.ValidAudiences.Count == 0)
        {
            throw new MissingSettingException($"{Section}:ValidAudiences");
        }

        var authority = new Uri(settings.Authority, UriKind.Absolute);
        var issuer = authority.AbsoluteUri.TrimEnd('/');
        authentication.AddJwtBearer(Scheme, options =>
        {
            configureBearer(options);
            options.RequireHttpsMetadata = !authority.IsLoopback;
            // Binding from configuration validates the issuer only when ValidIssuer(s) is given; the provider's own
            // issuer (from its discovery document) is the one to check.
            options.TokenValidationParameters.ValidateIssuer = true;
        });
        authentication.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            options.ForwardDefaultSelector = context => IssuedBy(context.Request, issuer) ? Scheme : null);
    }

    /// <summary>Whether the request's bearer token (header, or the change stream's query) claims the provider as its issuer.</summary>
    private static bool IssuedBy(HttpRequest request, string issuer)
    {
        string? authorization = request.Headers.Authorization;
        var token = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : request.Path.StartsWithSegments(AuthenticationSetup.StreamPath, StringComparison.Ordinal) && request.Query["access_token"] is [{ } query]
                ? query
                : null;
        if (token is null || !Handler.CanReadToken(token))
        {
            return false;
        }

        // Only routing: the chosen scheme validates the token in full. A token that only looks like a JWT (dot-separated
        // segments, but not base64url JSON objects) is not the provider's: the Bearer scheme refuses it (401). The
        // reader says "malformed" with ArgumentException (SecurityTokenMalformedException is one).
        string claimed;
        try
        {
            claimed = new JsonWebToken(token).Issuer;
        }
        catch (ArgumentException)
        {
            return false;
        }

        return string.Equals(claimed.TrimEnd('/'), issuer, StringComparison.Ordinal);
    }
}
