using Microsoft.Extensions.FileProviders;

namespace MutualAssistance.Api.Page;

/// <summary>
/// The case handler's page (<c>wwwroot/</c>: ES modules, no build step), embedded in this assembly and served from
/// it, so that it is the same page wherever the API runs (its own host or a silo), whatever the content root, built or
/// published; and <c>/page/sign-in</c>, which tells it where to sign its user in (<see cref="PageSignIn"/>).
/// </summary>
public static class ApiPage
{
    public const string SignInPath = "/page/sign-in";

    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(ApiPage).Assembly, "MutualAssistance.Api.wwwroot");

    public static IEndpointRouteBuilder MapApiPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, (PageSignIn signIn) => TypedResults.Ok(new PageSignInView(signIn.Issuer?.AbsoluteUri, signIn.ClientId, signIn.Scope)))
            .AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        return app;
    }
}

/// <summary>What <c>/page/sign-in</c> tells the page: the provider, the client id and the scopes (all null: not configured).</summary>
public sealed record PageSignInView(string? Issuer, string? ClientId, string? Scope);
