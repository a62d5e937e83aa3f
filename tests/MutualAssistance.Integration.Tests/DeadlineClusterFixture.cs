using Orleans.TestingHost;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// One silo, membership, state and reminders in a database of its own, and deadlines measured on
/// <see cref="PostgresTestCluster.DeadlineClock"/>, which the tests move forward by weeks.
/// </summary>
public sealed class DeadlineClusterFixture(DatabaseFixture database) : IAsyncLifetime
{
    private TestCluster? cluster;

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public DatabaseFixture Database => database;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("deadlines");
        cluster = await PostgresTestCluster.StartAsync(ConnectionString, membershipInDatabase: true, fakeDeadlineTime: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}

/// <summary>Every test that moves the deadline clock runs in this collection, one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DeadlineClusterCollection : ICollectionFixture<DeadlineClusterFixture>
{
    public const string Name = "deadline cluster";
}
