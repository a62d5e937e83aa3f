using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MutualAssistance.Federation;

/// <summary>
/// The exchange's own listener (<see cref="ExchangeListenerSettings"/>): a server of its own on its own port, with its
/// own TLS and client-certificate settings, serving the one route between nodes and nothing else; the API's port
/// serves no exchange route. Started with the silo on a node that has peers, stopped with it. Its pipeline has none
/// of the API's: no bearer tokens, no callers' rate limit; the receiver limits unverified traffic per source address
/// and verified traffic per sending node (<see cref="ExchangeReceiver"/>).
/// </summary>
public sealed partial class ExchangeListener(
    IServiceProvider services,
    ExchangeListenerSettings settings,
    ExchangeOptions options,
    IHostEnvironment environment,
    ILogger<ExchangeListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // An empty builder: no configuration sources of its own (the node's settings are read already), no other
        // listener, no middleware but routing; the silo's logging and the node's receiver.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = environment.EnvironmentName });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(services.GetRequiredService<ILoggerFactory>());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A little past the exchange's own limit, so that the receiver answers an oversized message itself (413).
            kestrel.Limits.MaxRequestBodySize = options.MaxMessageBytes + (16 * 1024);
            var address = IPAddress.TryParse(settings.Url.Host.Trim('[', ']'), out var parsed) ? parsed : null; // null: localhost
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (settings.Certificate is { } certificate)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateMode = settings.ClientAuthorities is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                        ClientCertificateValidation = settings.ClientAuthorities is null ? null : (client, _, _) => settings.Trusts(client),
                    });
                }
            }

            if (address is null)
            {
                kestrel.ListenLocalhost(settings.Url.Port, Configure);
            }
            else
            {
                kestrel.Listen(address, settings.Url.Port, Configure);
            }
        });

        server = builder.Build();
        var receiver = services.GetRequiredService<ExchangeReceiver>();
        server.UseRouting();
        server.MapPost("/" + ExchangeSender.Path, async http => await (await receiver.Handle(http)).ExecuteAsync(http));
        await server.StartAsync(cancellationToken);
        LogListening(settings.Url, settings.ClientAuthorities is null ? "none" : "required");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
            server = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange: listening for peers' envelopes on {Url} (client certificates: {ClientCertificates})")]
    private partial void LogListening(Uri url, string clientCertificates);
}
