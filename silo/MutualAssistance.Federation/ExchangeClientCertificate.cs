using System.Security.Cryptography.X509Certificates;
using MutualAssistance.ServiceDefaults;

namespace MutualAssistance.Federation;

/// <summary>
/// Mutual TLS between nodes, as an option: with <c>Exchange:ClientCertificate:CertificatePath</c> and
/// <c>:KeyPath</c> (PEM) set, this node presents that certificate to its peers' exchange endpoints, whose TLS
/// terminator (the ingress) verifies it. Without them, no client certificate is presented: the envelopes' signatures
/// alone authenticate the sender (they always do, with or without mutual TLS).
/// </summary>
public static class ExchangeClientCertificate
{
    public const string Section = "Exchange:ClientCertificate";

    /// <summary>
    /// Section <see cref="Section"/> bound and checked (<see cref="RequiredOptions.GetRequiredOptions{TOptions}"/>),
    /// then the certificate read from it, once, at registration: the exchange's HTTP handler is configured with it
    /// there, and a handler is made again on every rotation of the client factory, which must not read files again.
    /// </summary>
    public static X509Certificate2? Read(IConfiguration configuration) =>
        From(configuration.GetRequiredOptions<ExchangeClientCertificateOptions>(Section));

    /// <summary>The certificate the settings name, or none when neither path is set; half a setting is refused by name.</summary>
    public static X509Certificate2? From(ExchangeClientCertificateOptions options)
    {
        var certificate = options.CertificatePath;
        var key = options.KeyPath;
        if (string.IsNullOrWhiteSpace(certificate) && string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
        {
            throw new InvalidOperationException($"Settings '{Section}:CertificatePath' and '{Section}:KeyPath' go together: set both or neither.");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificate, key);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new InvalidOperationException($"Settings '{Section}:*': cannot read the certificate '{certificate}' with key '{key}': {e.Message}");
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
