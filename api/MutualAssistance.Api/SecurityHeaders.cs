using MutualAssistance.Api.Page;

namespace MutualAssistance.Api;

/// <summary>
/// The browser-facing protections on every answer of the API and its page: a Content-Security-Policy that allows
/// no inline script or style and nothing from another origin, no framing, no referrer, no MIME sniffing. (HSTS is
/// added outside Development by <c>UseHsts</c>, on HTTPS answers.) The Development-only API reference (Scalar)
/// loads its own scripts and is left without the policy.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, PageSignIn signIn)
{
    /// <summary>The policy; the page may also call its sign-in provider (discovery, token endpoint), when one is set.</summary>
    private readonly string contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        $"connect-src 'self'{(signIn.Origin is { } origin ? " " + origin : "")}; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (!context.Request.Path.StartsWithSegments("/scalar"))
        {
            headers.ContentSecurityPolicy = contentSecurityPolicy;
        }

        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        return next(context);
    }
}
