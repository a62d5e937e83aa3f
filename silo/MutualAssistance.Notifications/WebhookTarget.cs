using System.Net.Sockets;
using MutualAssistance.Contracts;

namespace MutualAssistance.Notifications;

/// <summary>
/// What a webhook's address may be (the one rule, for the API that takes it): absolute http(s), no user info or
/// fragment, at most 2,000 characters; HTTPS only where <c>Notifications:Webhooks:RequireHttps</c> (required) is true;
/// and a host <see cref="WebhookHosts"/> lets a webhook reach, resolved now (the silo resolves it again at each
/// connection: a name may be pointed elsewhere after it was registered).
/// </summary>
public sealed class WebhookTarget(bool requireHttps, WebhookHosts hosts)
{
    public const string RequireHttpsSetting = "Notifications:Webhooks:RequireHttps";

    public const int MaxLength = 2000;

    public bool RequireHttps { get; } = requireHttps;

    /// <summary>The address, or why it cannot be one.</summary>
    public async Task<(Uri? Url, FieldMessage? Problem)> CheckAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength || !Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return (null, FieldMessages.WebhookUrl(MaxLength));
        }

        if (url.Scheme != Uri.UriSchemeHttps && (RequireHttps || url.Scheme != Uri.UriSchemeHttp))
        {
            return (null, RequireHttps ? FieldMessages.HttpsOnly() : FieldMessages.HttpOrHttps());
        }

        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0)
        {
            return (null, FieldMessages.WebhookNoCredentials());
        }

        return await IsReachableAsync(url, cancellationToken) ? (url, null) : (null, FieldMessages.WebhookPublicHost());
    }

    private async Task<bool> IsReachableAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return (await hosts.AddressesAsync(url.IdnHost, cancellationToken)).Length > 0;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            // A name that does not resolve (or cannot be one) is refused with the same words as an internal one: the
            // answer tells nothing of which names this node's network knows.
            return false;
        }
    }
}
