using MutualAssistance.Integration.Tests;
using MutualAssistance.Testing;

[assembly: AssemblyFixture(typeof(DatabaseFixture))]

namespace MutualAssistance.Integration.Tests;

/// <summary>One throwaway PostgreSQL server for this test assembly; each test class takes its own database.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private PostgresServer? server;

    public PostgresServer Server => server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async ValueTask InitializeAsync() => server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
