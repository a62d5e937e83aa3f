using System.Security.Cryptography.X509Certificates;

namespace MutualAssistance.Federation;

/// <summary>
/// Mutual TLS between nodes, as an option: with <c>Exchange:ClientCertificate:CertificatePath</c> and
/// <c>:KeyPath</c> (PEM) set, this node presents that certificate to its peers' exchange endpoints, whose TLS
/// terminator (the ingress) verifies it. Without them, no client certificate is presented: the envelopes' signatures
/// alone authenticate the sender (they always do, with or without mutual TLS).
/// </summary>
public static class ExchangeClientCertificate
{
    public static X509Certificate2? Read(IConfiguration configuration)
    {
        var certificate = configuration["Exchange:ClientCertificate:CertificatePath"];
        var key = configuration["Exchange:ClientCertificate:KeyPath"];
        if (string.IsNullOrWhiteSpace(certificate) && string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException("Settings 'Exchange:ClientCertificate:CertificatePath' and 'Exchange:ClientCertificate:KeyPath' go together: set both or neither.");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new InvalidOperationException($"Settings 'Exchange:ClientCertificate:*': cannot read the certificate '{certificate}' with key '{key}': {e.Message}");
        }
    }

    public static SocketsHttpHandler Handler(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { certificate };
        }

        return handler;
    }
}
