using MutualAssistance.Api.Localization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Api.Security;

/// <summary>
/// JWT bearer authentication configured from <c>Authentication:Schemes:Bearer</c>: in production an OIDC
/// <c>Authority</c> (or signing keys) and the valid audiences and issuer; in Development the keys that
/// <c>dotnet user-jwts</c> keeps in user secrets. Every endpoint needs a token carrying an <c>authority</c>
/// claim unless it allows anonymous callers (health, OpenAPI). Validated tokens are cached until their expiry under
/// the signing keys in force (<see cref="ValidatedTokenCache"/>). In Development only, the development identity
/// provider's tokens are trusted too when <c>Authentication:Schemes:IdentityProvider</c> names it
/// (<see cref="DevelopmentIdentityProvider"/>), with the same checks. Every bearer scheme allows the same clock skew on
/// a token's lifetime, <see cref="ClockSkewSetting"/> (required, at most <see cref="MaxClockSkew"/>), not JwtBearer's
/// default of five minutes.
/// </summary>
public static class AuthenticationSetup
{
    public const string Section = "Authentication:Schemes:Bearer";
    public const string StreamPath = "/api/deadlines/stream";

    /// <summary>How far a token's <c>exp</c> (and <c>nbf</c>) may be off the API's clock and still be accepted.</summary>
    public const string ClockSkewSetting = "Authentication:ClockSkew";

    /// <summary>The most <see cref="ClockSkewSetting"/> may be: an expired token must not keep working for minutes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddMutualAssistanceAuthentication(this WebApplicationBuilder builder)
    {
        var bearer = builder.Configuration.GetSection(Section);
        if (string.IsNullOrWhiteSpace(bearer["Authority"]) && !bearer.GetSection("SigningKeys").GetChildren().Any()
            && !builder.Environment.IsDevelopment())
        {
            throw new MissingSettingException($"{Section}:Authority");
        }

        if (string.IsNullOrWhiteSpace(bearer["ValidAudience"]) && !bearer.GetSection("ValidAudiences").GetChildren().Any())
        {
            throw new MissingSettingException($"{Section}:ValidAudiences");
        }

        builder.Services.AddRequiredOptions<ClockSkewOptions>(builder.Configuration, ClockSkewOptions.Section, ClockSkewOptions.Problems);
        var authentication = builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(ConfigureBearer);
        DevelopmentIdentityProvider.AddTo(authentication, builder.Configuration, builder.Environment, ConfigureBearer);
        // Every bearer scheme (null: each name), the development provider's too, takes the one validated skew.
        builder.Services.AddSingleton<IConfigureOptions<JwtBearerOptions>>(sp => new ConfigureNamedOptions<JwtBearerOptions, IOptions<ClockSkewOptions>>(
            null, sp.GetRequiredService<IOptions<ClockSkewOptions>>(), (options, skew) => options.TokenValidationParameters.ClockSkew = skew.Value.ClockSkew));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new ValidatedTokenCache(sp.GetRequiredService<TimeProvider>()));
        // Signing keys from configuration (dotnet user-jwts in Development, SigningKeys elsewhere) come as a lazy
        // sequence that re-reads configuration and rebuilds the keys on every validation: about a tenth of the
        // API's CPU under load. Read them once at start-up (a key change then needs a restart, as a rotation
        // through configuration does anyway). Keys from an OIDC Authority are cached by its own manager.
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            if (options.TokenValidationParameters.IssuerSigningKeys is { } keys)
            {
                options.TokenValidationParameters.IssuerSigningKeys = [.. keys];
            }
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireClaim(Caller.AuthorityClaim)
                .Build());
        return builder;
    }

    /// <summary>
    /// What every bearer scheme of the API does alike (and the clock skew, from <see cref="ClockSkewOptions"/>): claims
    /// as issued (no inbound mapping), <c>sub</c> and <c>role</c> as name and role, the change stream's token from the query, the validated-token cache, one
    /// identity per token (<see cref="Caller.Problem"/>) and a 401 as problem details.
    /// </summary>
    private static void ConfigureBearer(JwtBearerOptions options)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = Caller.SubjectClaim;
        options.TokenValidationParameters.RoleClaimType = Caller.RoleClaim;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // Browsers cannot set headers on an EventSource: the change stream also takes the token from the query.
                if (context.Request.Path.StartsWithSegments(StreamPath, StringComparison.Ordinal) && context.Request.Query["access_token"] is [{ } token])
                {
                    context.Token = token;
                }

                // A token validated before, under the keys in force and not expired, succeeds without validation.
                return context.HttpContext.RequestServices.GetRequiredService<ValidatedTokenCache>().OnMessageReceivedAsync(context);
            },

            // One identity per token: a token naming two authorities, or no known role, is refused whole. Only a
            // principal that passed this is cached.
            OnTokenValidated = context =>
            {
                if (context.Principal is { } principal && Caller.Problem(principal) is { } problem)
                {
                    context.Fail(problem);
                }
                else
                {
                    context.HttpContext.RequestServices.GetRequiredService<ValidatedTokenCache>().Remember(context);
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                if (context.AuthenticateFailure is { } failure && !context.Response.HasStarted)
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                    var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                    await problems.WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context.HttpContext,
                        ProblemDetails =
                        {
                            Status = StatusCodes.Status401Unauthorized,
                            Title = ProblemText.Unauthorized,
                            Detail = failure is AuthenticationFailureException
                                ? failure.Message
                                : "The bearer token is malformed, expired or not signed by a trusted key.",
                        },
                    });
                }
            },
        };
    }
}

/// <summary>
/// <see cref="AuthenticationSetup.ClockSkewSetting"/> (section <c>Authentication</c>, key <c>ClockSkew</c>): required, a
/// time span from zero to <see cref="AuthenticationSetup.MaxClockSkew"/>; bound and validated at start
/// (<see cref="RequiredOptions"/>). The section's <c>Schemes</c> are JwtBearer's own, bound by it.
/// </summary>
public sealed class ClockSkewOptions
{
    public const string Section = "Authentication";

    [System.ComponentModel.DataAnnotations.Required] public TimeSpan ClockSkew { get; set; }

    public static IEnumerable<string> Problems(ClockSkewOptions options) =>
        options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AuthenticationSetup.MaxClockSkew
            ? [$"Setting '{AuthenticationSetup.ClockSkewSetting}' must be a time span from 00:00:00 to {AuthenticationSetup.MaxClockSkew:c}, not '{options.ClockSkew:c}'."]
            : [];
}
