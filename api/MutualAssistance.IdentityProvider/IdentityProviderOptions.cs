using System.ComponentModel.DataAnnotations;

namespace MutualAssistance.IdentityProvider;

/// <summary>
/// Section <c>IdentityProvider</c> as given (<see cref="IdentityProviderSettings"/> says what each key means and builds
/// the provider's value from it). URLs and the lifetime stay text, so that a malformed one is named by the building
/// with the message it always had, not by the binder.
/// </summary>
public sealed class IdentityProviderOptions
{
    [Required] public string Issuer { get; set; } = string.Empty;

    [Required] public string Audience { get; set; } = string.Empty;

    public IdentityProviderClientOptions Client { get; set; } = new();

    [Required] public string UsersPath { get; set; } = string.Empty;

    [Required] public string SigningKeyPath { get; set; } = string.Empty;

    /// <summary>Optional: <see cref="IdentityProviderSettings.DefaultAccessTokenLifetime"/> when absent.</summary>
    public string? AccessTokenLifetime { get; set; }
}

/// <summary>
/// <c>IdentityProvider:Client</c>, the page's client: where its sign-ins and sign-outs may return. Not [Required] as a
/// list: no redirect URI at all is named as its first entry, the key to give.
/// </summary>
public sealed class IdentityProviderClientOptions
{
    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];
}
