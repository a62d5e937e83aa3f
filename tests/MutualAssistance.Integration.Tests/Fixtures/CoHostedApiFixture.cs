using System.Globalization;
using MutualAssistance.Silo;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// The co-hosted shape: one silo (in this process, real TCP) that serves the API itself on its HTTP port, built
/// exactly as the silo's Program builds it with <c>Api:Hosting=co-hosted</c>, on a database of its own.
/// </summary>
public sealed class CoHostedApiFixture(DatabaseFixture database) : IAsyncLifetime
{
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private InProcessSilo? silo;

    public Uri BaseAddress => new($"http://127.0.0.1:{(silo ?? throw new InvalidOperationException("Not started.")).HttpPort}/");

    /// <summary>A client of the silo's HTTP port, without credentials.</summary>
    public HttpClient CreateClient() => new(handler, disposeHandler: false) { BaseAddress = BaseAddress };

    public async ValueTask InitializeAsync()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("api_cohosted");
        var settings = new Dictionary<string, string?>(TestTokens.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
        {
            [SiloHostingExtensions.ApiHostingSetting] = SiloHostingExtensions.CoHosted,
            ["RateLimiting:PermitsPerSecond"] = 10_000.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Burst"] = 10_000.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Anonymous:PermitsPerSecond"] = 10_000.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Anonymous:Burst"] = 10_000.ToString(CultureInfo.InvariantCulture),
        };
        silo = await InProcessSilo.StartAsync(connectionString, "cohosted-" + Guid.NewGuid().ToString("N")[..8], settings: settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (silo is not null)
        {
            await silo.DisposeAsync();
        }

        handler.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class CoHostedApiCollection : ICollectionFixture<CoHostedApiFixture>
{
    public const string Name = "api-cohosted";
}

/// <summary>The shared HTTP contract (<see cref="ApiContractTests"/>) against a silo that co-hosts the API.</summary>
[Collection(CoHostedApiCollection.Name)]
public sealed class CoHostedApiTests(CoHostedApiFixture fixture) : ApiContractTests
{
    protected override HttpClient Client() => fixture.CreateClient();
}
