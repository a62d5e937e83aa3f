namespace MutualAssistance.ReadSide.Notifications;

/// <summary>
/// What a webhook's address may be (the one rule, for the API that takes it): absolute http(s), no user info or
/// fragment, at most 2,000 characters; HTTPS only where <c>Notifications:Webhooks:RequireHttps</c> (required) is true.
/// </summary>
public sealed class WebhookTarget(bool requireHttps)
{
    public const string RequireHttpsSetting = "Notifications:Webhooks:RequireHttps";

    public const int MaxLength = 2000;

    /// <summary>The address, or why it cannot be one.</summary>
    public bool RequireHttps { get; } = requireHttps;

    public (Uri? Url, string? Problem) Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength || !Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            return (null, $"Required: an absolute http(s) address, at most {MaxLength} characters.");
        }

        if (url.Scheme != Uri.UriSchemeHttps && (RequireHttps || url.Scheme != Uri.UriSchemeHttp))
        {
            return (null, RequireHttps ? "Must be https on this node." : "Must be http or https.");
        }

        return url.UserInfo.Length > 0 || url.Fragment.Length > 0
            ? (null, "No user name, password or fragment: the receiver checks the signature instead.")
            : (url, null);
    }
}
