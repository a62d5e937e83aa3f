using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using MutualAssistance.Federation;

namespace MutualAssistance.Integration.Tests;

/// <summary>Mutual TLS as an option: the client certificate a node presents to its peers, or none.</summary>
public sealed class ExchangeClientCertificateTests
{
    [Fact]
    public void Without_settings_no_certificate_is_presented_and_half_a_setting_is_refused_by_name()
    {
        Assert.Null(ExchangeClientCertificate.Read(Settings()));
        Assert.Empty(ExchangeClientCertificate.Handler(null).SslOptions.ClientCertificates ?? []);
        var error = Assert.Throws<InvalidOperationException>(() => ExchangeClientCertificate.Read(Settings(("Exchange:ClientCertificate:CertificatePath", "/x.pem"))));
        Assert.Contains("Exchange:ClientCertificate:KeyPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_certificate_is_presented_on_every_connection_to_a_peer()
    {
        var folder = Directory.CreateTempSubdirectory("ma-mtls-").FullName;
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=node-kz.example", key, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(folder, "client.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(folder, "client-key.pem"), key.ExportPkcs8PrivateKeyPem());

            using var read = ExchangeClientCertificate.Read(Settings(
                ("Exchange:ClientCertificate:CertificatePath", Path.Combine(folder, "client.pem")),
                ("Exchange:ClientCertificate:KeyPath", Path.Combine(folder, "client-key.pem"))));
            Assert.NotNull(read);
            Assert.True(read.HasPrivateKey);
            Assert.Equal(certificate.Thumbprint, read.Thumbprint);
            Assert.Equal(certificate.Thumbprint, Assert.Single(ExchangeClientCertificate.Handler(read).SslOptions.ClientCertificates!.Cast<X509Certificate>()).GetCertHashString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
