using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Federation;

/// <summary>
/// Where the node listens for its peers' envelopes (section <c>Exchange:Listener</c>), apart from the API's port:
/// <c>Url</c> (required on a node with peers: <c>http://127.0.0.1:5081</c> on loopback, <c>https://0.0.0.0:8443</c>
/// in production); for https, <c>CertificatePath</c> and <c>KeyPath</c> (PEM) of the listener's own certificate; and
/// <c>ClientCertificates</c>, <c>none</c> or <c>require</c> (mutual TLS: a peer's client certificate must chain to a
/// certificate authority in <c>ClientCertificateAuthorityPath</c>, PEM, and nothing else is trusted for it).
/// </summary>
public sealed record ExchangeListenerSettings(Uri Url, X509Certificate2? Certificate, X509Certificate2Collection? ClientAuthorities)
{
    public const string Section = "Exchange:Listener";

    public static ExchangeListenerSettings Read(IConfiguration configuration)
    {
        var text = configuration.GetRequired($"{Section}:Url");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath != "/" || url.IsDefaultPort && !text.Contains(":" + url.Port, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Setting '{Section}:Url' must be an http(s) URL with a host and a port and no path (e.g. https://0.0.0.0:8443), not '{text}'.");
        }

        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && url.Host != "localhost")
        {
            throw new InvalidOperationException($"Setting '{Section}:Url' must name the address to listen on (an IP address, 0.0.0.0 for every one, or localhost), not '{url.Host}'.");
        }

        var clientCertificates = configuration.GetRequired($"{Section}:ClientCertificates");
        if (clientCertificates is not ("none" or "require"))
        {
            throw new InvalidOperationException($"Setting '{Section}:ClientCertificates' must be 'none' or 'require', not '{clientCertificates}'.");
        }

        if (url.Scheme == "http")
        {
            return clientCertificates == "none"
                ? new ExchangeListenerSettings(url, null, null)
                : throw new InvalidOperationException($"Setting '{Section}:ClientCertificates' is 'require', which needs an https '{Section}:Url'.");
        }

        var certificatePath = configuration.GetRequired($"{Section}:CertificatePath");
        var keyPath = configuration.GetRequired($"{Section}:KeyPath");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new InvalidOperationException($"Settings '{Section}:CertificatePath' and ':KeyPath': cannot read '{certificatePath}' with '{keyPath}': {e.Message}");
        }

        if (clientCertificates == "none")
        {
            return new ExchangeListenerSettings(url, certificate, null);
        }

        var authorityPath = configuration.GetRequired($"{Section}:ClientCertificateAuthorityPath");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(authorityPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new InvalidOperationException($"Setting '{Section}:ClientCertificateAuthorityPath': cannot read '{authorityPath}': {e.Message}");
        }

        return authorities.Count > 0
            ? new ExchangeListenerSettings(url, certificate, authorities)
            : throw new InvalidOperationException($"Setting '{Section}:ClientCertificateAuthorityPath': '{authorityPath}' holds no certificate.");
    }

    /// <summary>Whether <paramref name="certificate"/> chains to one of <see cref="ClientAuthorities"/> (and to nothing else trusted).</summary>
    public bool Trusts(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ClientAuthorities!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        return chain.Build(certificate);
    }
}
