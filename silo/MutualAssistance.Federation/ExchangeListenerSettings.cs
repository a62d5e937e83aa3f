using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

    /// <summary>The listener the settings describe; a missing or malformed one stops start-up naming it.</summary>
    public static ExchangeListenerSettings From(ExchangeListenerOptions options)
    {
        var text = options.Url;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.AbsolutePath != "/" || url.IsDefaultPort && !text.Contains(":" + url.Port, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Setting '{Section}:Url' must be an http(s) URL with a host and a port and no path (e.g. https://0.0.0.0:8443), not '{text}'.");
        }

        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && url.Host != "localhost")
        {
            throw new InvalidOperationException($"Setting '{Section}:Url' must name the address to listen on (an IP address, 0.0.0.0 for every one, or localhost), not '{url.Host}'.");
        }

        var clientCertificates = options.ClientCertificates;
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

        var certificatePath = Required(options.CertificatePath, "CertificatePath");
        var keyPath = Required(options.KeyPath, "KeyPath");
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

        var authorityPath = Required(options.ClientCertificateAuthorityPath, "ClientCertificateAuthorityPath");
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

    /// <summary>
    /// Bound and validated at start (<see cref="RequiredOptions"/>, the check being the building), and the listener's
    /// value built from them once; only a node with peers listens, so only it needs the section.
    /// </summary>
    public static IServiceCollection AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequiredOptions<ExchangeListenerOptions>(configuration, Section, ExchangeListenerOptions.Problems);
        services.TryAddSingleton(sp => From(sp.GetRequiredService<IOptions<ExchangeListenerOptions>>().Value));
        return services;
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new MissingSettingException($"{Section}:{name}") : value;

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

/// <summary>
/// Section <c>Exchange:Listener</c> as given (<see cref="ExchangeListenerSettings"/> says what each key means):
/// <c>Url</c> and <c>ClientCertificates</c> always; the certificate paths as the scheme and the client certificates
/// need them, which the building of <see cref="ExchangeListenerSettings"/> checks and names.
/// </summary>
public sealed class ExchangeListenerOptions
{
    [Required] public string Url { get; set; } = string.Empty;

    [Required] public string ClientCertificates { get; set; } = string.Empty;

    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public string? ClientCertificateAuthorityPath { get; set; }

    public static IEnumerable<string> Problems(ExchangeListenerOptions options)
    {
        _ = ExchangeListenerSettings.From(options);
        return [];
    }
}
