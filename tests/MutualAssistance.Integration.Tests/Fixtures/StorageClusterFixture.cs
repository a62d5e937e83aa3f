using Orleans.TestingHost;

namespace MutualAssistance.Integration.Tests;

/// <summary>One silo whose grain state and reminders live in a database of its own.</summary>
public sealed class StorageClusterFixture(DatabaseFixture database) : IAsyncLifetime
{
    private TestCluster? cluster;

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("storage");
        cluster = await PostgresTestCluster.StartAsync(ConnectionString, membershipInDatabase: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StorageClusterCollection : ICollectionFixture<StorageClusterFixture>
{
    public const string Name = "storage cluster";
}
