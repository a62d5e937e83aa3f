using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MutualAssistance.ServiceDefaults;
using MutualAssistance.Silo;

namespace MutualAssistance.Testing;

/// <summary>
/// A silo built exactly as the silo's Program builds it, in this process, on free ports and the given database.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    private readonly WebApplication app;

    private InProcessSilo(WebApplication app, int gatewayPort, int httpPort)
    {
        this.app = app;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public int GatewayPort { get; }

    public int HttpPort { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="settings">Settings beside (or over) the silo's own; <c>Api:Hosting</c> is <c>separate</c> unless given
    /// here (<c>co-hosted</c> also needs the API's settings: authentication, rate limits).</param>
    public static async Task<InProcessSilo> StartAsync(
        string connectionString, string clusterId, string serviceId = "mutual-assistance-tests", Action<IServiceCollection>? configure = null,
        IReadOnlyDictionary<string, string?>? settings = null, int? httpPort = null)
    {
        var gatewayPort = FreePort.Next();
        httpPort ??= FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [PostgresExtensions.ConnectionStringKey] = connectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = serviceId,
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
            ["ReferenceData:Path"] = TestReferenceData.Folder,
            ["ReferenceChanges:PollInterval"] = "00:00:01",
            ["ReferenceChanges:Parallelism"] = "16",
            ["ReferenceChanges:PageSize"] = "500",
            [SiloHostingExtensions.ApiHostingSetting] = SiloHostingExtensions.Separate,
        });
        builder.Configuration.AddInMemoryCollection(NodeTestSettings.Alone);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        builder.Logging.AddProvider(CapturedTelemetry.Logs);
        builder.AddMutualAssistanceSilo();
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapMutualAssistanceSilo();
        await app.StartAsync();
        return new InProcessSilo(app, gatewayPort, httpPort.Value);
    }

    public async Task StopAsync() => await app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
