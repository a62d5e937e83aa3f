using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// What the identity provider needs, from <c>IdentityProvider:*</c>; a missing required value stops start-up with its
/// name (the project's rule): the issuer URL, the API's audience, the page client's redirect URIs, the users file and
/// the signing key's file (made on the first start when it does not exist yet).
/// </summary>
public sealed record IdentityProviderSettings(
    Uri Issuer,
    string Audience,
    IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<Uri> PostLogoutRedirectUris,
    string UsersPath,
    string SigningKeyPath,
    TimeSpan AccessTokenLifetime)
{
    public const string Section = "IdentityProvider";
    public const string IssuerKey = Section + ":Issuer";
    public const string AudienceKey = Section + ":Audience";
    public const string RedirectUrisKey = Section + ":Client:RedirectUris";
    public const string PostLogoutRedirectUrisKey = Section + ":Client:PostLogoutRedirectUris";
    public const string UsersPathKey = Section + ":UsersPath";
    public const string SigningKeyPathKey = Section + ":SigningKeyPath";
    public const string AccessTokenLifetimeKey = Section + ":AccessTokenLifetime";

    /// <summary>The public client of the API's page (authorization code with PKCE, no secret).</summary>
    public const string PageClientId = "mutual-assistance-page";

    /// <summary>Lifetime of an access token unless <see cref="AccessTokenLifetimeKey"/> says otherwise.</summary>
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The origins of the page client's redirect URIs: where sign-ins end, and whence the page calls the provider.</summary>
    public IReadOnlyList<string> ClientOrigins => [.. RedirectUris.Concat(PostLogoutRedirectUris)
        .Select(uri => uri.GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Section <see cref="Section"/> bound and checked (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>), then
    /// built; relative file paths are taken from <paramref name="contentRoot"/>. Read at registration and not kept as
    /// <c>IOptions</c>: the users file, the signing key and OpenIddict's server are set up from it there.
    /// </summary>
    public static IdentityProviderSettings From(IConfiguration configuration, string contentRoot) =>
        From(configuration.GetRequiredOptions<IdentityProviderOptions>(Section), contentRoot);

    /// <summary>The provider's settings from the options as given; a malformed URL or lifetime stops start-up naming it.</summary>
    public static IdentityProviderSettings From(IdentityProviderOptions options, string contentRoot)
    {
        var issuer = AbsoluteUri(options.Issuer, IssuerKey);
        var redirects = Uris(options.Client.RedirectUris, RedirectUrisKey);
        if (redirects.Count == 0)
        {
            throw new MissingSettingException(RedirectUrisKey + ":0");
        }

        var lifetime = options.AccessTokenLifetime is { Length: > 0 } text
            ? TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new InvalidOperationException($"Setting '{AccessTokenLifetimeKey}' must be a positive time span (e.g. 00:15:00), not '{text}'.")
            : DefaultAccessTokenLifetime;
        return new IdentityProviderSettings(
            issuer,
            options.Audience,
            redirects,
            Uris(options.Client.PostLogoutRedirectUris, PostLogoutRedirectUrisKey),
            Path.GetFullPath(options.UsersPath, contentRoot),
            Path.GetFullPath(options.SigningKeyPath, contentRoot),
            lifetime);
    }

    private static List<Uri> Uris(IEnumerable<string> values, string key) =>
        [.. values.Select((value, i) => AbsoluteUri(value ?? string.Empty, $"{key}:{i}"))];

    private static Uri AbsoluteUri(string text, string key) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"Setting '{key}' must be an absolute http(s) URL, not '{text}'.");
}
