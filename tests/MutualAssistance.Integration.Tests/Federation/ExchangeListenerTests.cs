using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Federation;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The exchange's own listener (<see cref="ExchangeListener"/>): its settings refused by name when incomplete, and
/// over https with client certificates required, only a peer whose certificate chains to the configured authority
/// gets as far as the receiver (which then refuses the unsigned test message at the signature).
/// </summary>
public sealed class ExchangeListenerTests : IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly string folder = Directory.CreateTempSubdirectory("ma-listener-").FullName;

    [Theory]
    [InlineData("Url", null, "Exchange:Listener:Url")]
    [InlineData("ClientCertificates", null, "Exchange:Listener:ClientCertificates")]
    [InlineData("CertificatePath", "https", "Exchange:Listener:CertificatePath")]
    public void A_missing_listener_setting_is_named(string missing, string? scheme, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Exchange:Listener:Url"] = $"{scheme ?? "http"}://127.0.0.1:5070",
            ["Exchange:Listener:ClientCertificates"] = "none",
            ["Exchange:Listener:KeyPath"] = "/nowhere/key.pem",
        };
        settings.Remove("Exchange:Listener:" + missing);
        var error = Assert.Throws<MissingSettingException>(() => Listener(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Equal(named, error.Key);
    }

    [Theory]
    [InlineData("http://127.0.0.1", "none")] // no port
    [InlineData("http://127.0.0.1:5070/exchange", "none")] // a path
    [InlineData("http://exchange.kz.example:5070", "none")] // a host name to listen on
    [InlineData("http://127.0.0.1:5070", "optional")]
    [InlineData("http://127.0.0.1:5070", "require")] // client certificates without TLS
    public void A_listener_setting_that_is_not_one_is_refused_by_name(string url, string clientCertificates)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Exchange:Listener:Url"] = url,
            ["Exchange:Listener:ClientCertificates"] = clientCertificates,
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Listener(configuration));
        Assert.Contains("Exchange:Listener:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_https_with_client_certificates_required_only_a_peer_of_the_configured_authority_gets_through()
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var authority = Authority("CN=Federation peers CA", authorityKey);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = Authority("CN=Someone else's CA", strangerKey);
        using var server = Issue("CN=127.0.0.1", authority, authorityKey, serverAuth: true);
        using var peer = Issue("CN=node-cn", authority, authorityKey, serverAuth: false);
        using var impostor = Issue("CN=node-cn", stranger, strangerKey, serverAuth: false);
        File.WriteAllText(Path.Combine(folder, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server-key.pem"), server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "peers-ca.pem"), authority.ExportCertificatePem());

        var port = FreePort.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(NodeTestSettings.Exchange)
        {
            ["Node:Id"] = "KZ",
            ["Node:Authorities"] = "KZ-GP",
            ["Exchange:Listener:Url"] = $"https://127.0.0.1:{port}",
            ["Exchange:Listener:CertificatePath"] = Path.Combine(folder, "server.pem"),
            ["Exchange:Listener:KeyPath"] = Path.Combine(folder, "server-key.pem"),
            ["Exchange:Listener:ClientCertificates"] = "require",
            ["Exchange:Listener:ClientCertificateAuthorityPath"] = Path.Combine(folder, "peers-ca.pem"),
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(NodeSettings.Read(configuration))
            .AddSingleton(configuration.GetRequiredOptions<ExchangeOptions>(ExchangeOptions.Section, ExchangeOptions.Problems))
            .AddSingleton(Listener(configuration))
            .AddSingleton<ExchangeKeys>()
            .AddSingleton<ExchangeMetrics>()
            // The receiver refuses an unsigned message at the signature, before it would reach a grain or the store.
            .AddSingleton(sp => new ExchangeReceiver(sp.GetRequiredService<ExchangeKeys>(), null!, null!, sp.GetRequiredService<ExchangeOptions>(),
                sp.GetRequiredService<ExchangeMetrics>(), TimeProvider.System, NullLogger<ExchangeReceiver>.Instance))
            .AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production", ApplicationName = "tests", ContentRootPath = folder })
            .AddSingleton<ExchangeListener>()
            .BuildServiceProvider();
        await using var _ = services;
        var listener = services.GetRequiredService<ExchangeListener>();
        await listener.StartAsync(Cancel);
        try
        {
            // A peer of the configured authority reaches the receiver: refused at the signature (a problem), not at TLS.
            using var answered = await Post(port, authority, peer);
            Assert.InRange((int)answered.StatusCode, 400, 499);
            Assert.Contains("problem+json", answered.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

            // No certificate, or one of another authority: refused by the TLS handshake, nothing reaches the receiver.
            await Assert.ThrowsAsync<HttpRequestException>(() => Post(port, authority, null));
            await Assert.ThrowsAsync<HttpRequestException>(() => Post(port, authority, impostor));
        }
        finally
        {
            await listener.StopAsync(Cancel);
        }
    }

    /// <summary>The listener's settings as the silo gets them: bound, checked at registration, built from the options.</summary>
    private static ExchangeListenerSettings Listener(IConfiguration configuration)
    {
        using var services = ExchangeListenerSettings.AddTo(new ServiceCollection(), configuration).BuildServiceProvider();
        return services.GetRequiredService<ExchangeListenerSettings>();
    }

    private static async Task<HttpResponseMessage> Post(int port, X509Certificate2 trusted, X509Certificate2? client)
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Issuer == trusted.Subject;
        if (client is not null)
        {
            handler.SslOptions.ClientCertificates = [client];
        }

        using var http = new HttpClient(handler);
        using var content = new ByteArrayContent([0xd2, 0x84, 0x40]);
        content.Headers.ContentType = new MediaTypeHeaderValue(CoseEnvelope.MediaType);
        return await http.PostAsync(new Uri($"https://127.0.0.1:{port}/" + ExchangeSender.Path), content, Cancel);
    }

    private static X509Certificate2 Authority(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(string subject, X509Certificate2 issuer, ECDsa issuerKey, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        using var signer = X509CertificateLoader.LoadCertificate(issuer.RawData);
        using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
