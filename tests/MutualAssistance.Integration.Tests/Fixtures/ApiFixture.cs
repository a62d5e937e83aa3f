using Microsoft.AspNetCore.Mvc.Testing;
using MutualAssistance.Testing;

namespace MutualAssistance.Integration.Tests;

/// <summary>A silo (in this process, real TCP) and the API (in memory) on a database of their own.</summary>
public sealed class ApiFixture(DatabaseFixture database) : IAsyncLifetime
{
    private InProcessSilo? silo;
    private WebApplicationFactory<Program>? api;

    public WebApplicationFactory<Program> Api => api ?? throw new InvalidOperationException("Not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public string ClusterId { get; } = "api-" + Guid.NewGuid().ToString("N")[..8];

    public IServiceProvider SiloServices => silo?.Services ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("api_contract");
        silo = await InProcessSilo.StartAsync(ConnectionString, ClusterId);
        api = ApiFactory.Create(ConnectionString, ClusterId);
    }

    public async ValueTask DisposeAsync()
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (silo is not null)
        {
            await silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
