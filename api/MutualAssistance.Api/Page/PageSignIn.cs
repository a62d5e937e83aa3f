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

    /// <summary>Binds <see cref="Section"/> (optional; checked at registration and at start) and builds the value once.</summary>
    public static IServiceCollection AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<PageSignInOptions>(configuration, Section, PageSignInOptions.Problems);
        services.AddSingleton(sp => From(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PageSignInOptions>>().Value));
        return services;
    }

    /// <summary>No issuer: sign-in not configured. An issuer that is not https (but on loopback), or one without its client id and scope, stops start-up naming the setting.</summary>
    public static PageSignIn From(PageSignInOptions options)
    {
        if (options.Issuer is not { Length: > 0 } issuer)
        {
            return new PageSignIn(null, null, null);
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            throw new InvalidOperationException($"Setting '{IssuerSetting}' must be an absolute https URL (http only on loopback), not '{issuer}'.");
        }

        return new PageSignIn(uri, Required(options.ClientId, ClientIdSetting), Required(options.Scope, ScopeSetting));
    }

    private static string Required(string? value, string key) => string.IsNullOrWhiteSpace(value) ? throw new MissingSettingException(key) : value;

    /// <summary>The provider's origin, which the page's Content-Security-Policy lets it call (discovery, token, JWKS).</summary>
    public string? Origin => Issuer?.GetLeftPart(UriPartial.Authority);
}

/// <summary>Section <c>Page:SignIn</c> as given (<see cref="PageSignIn"/> says what each key means); all optional until an issuer is set.</summary>
public sealed class PageSignInOptions
{
    public string? Issuer { get; set; }

    public string? ClientId { get; set; }

    public string? Scope { get; set; }

    /// <summary>The check is the building (it throws, naming the setting).</summary>
    public static IEnumerable<string> Problems(PageSignInOptions options)
    {
        _ = PageSignIn.From(options);
        return [];
    }
}
