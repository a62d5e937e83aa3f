namespace MutualAssistance.IdentityProvider;

/// <summary>
/// The API page's protections on the provider's answers too: no script at all, styles from here only, no framing,
/// no referrer (the authorization request's parameters stay here). Forms may go here and, through the redirects that
/// end a sign-in, to the client's redirect URIs' origins.
/// </summary>
public sealed class PageSecurityHeaders
{
    private readonly RequestDelegate next;
    private readonly string policy;

    public PageSecurityHeaders(RequestDelegate next, IdentityProviderSettings settings)
    {
        this.next = next;
        var origins = settings.ClientOrigins;
        policy = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; " +
            $"form-action 'self' {string.Join(' ', origins)}";
    }

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}
