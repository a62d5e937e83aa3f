using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace MutualAssistance.Api.Audit;

/// <summary>
/// Logs a log-on (<c>logon</c>) each time a bearer token passes full validation: its first use, and again whenever
/// the validated-token cache lets it go (expiry, its age limit, a key change). A cached hit is not a log-on. Added to
/// the JwtBearer events after <see cref="Security.AuthenticationSetup"/>'s own checks, and only for a principal they
/// accepted.
/// </summary>
public static class LogonLogging
{
    public static WebApplicationBuilder AddLogonLogging(this WebApplicationBuilder builder)
    {
        // Every bearer scheme: the Bearer one and, in Development, the development identity provider's.
        builder.Services.PostConfigureAll<JwtBearerOptions>(options =>
        {
            var validated = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                if (context.Result is null or { Succeeded: true } && context.Principal is { } principal)
                {
                    await context.HttpContext.RequestServices.GetRequiredService<ConsultationLog>().LoggedOn(context.HttpContext, principal);
                }
            };
        });
        return builder;
    }
}
