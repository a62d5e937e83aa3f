using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// One silo, membership, state and reminders in a database of its own, and deadlines measured on
/// <see cref="Clock"/>, the collection's own, which its tests move forward by weeks.
/// </summary>
public sealed class DeadlineClusterFixture(DatabaseFixture database) : IAsyncLifetime
{
    private TestCluster? cluster;

    /// <summary>The clock the cluster's deadlines run on; only the tests of this collection move it, one after another.</summary>
    public FakeTimeProvider Clock { get; } = new(PostgresTestCluster.DeadlineClockStart);

    public TestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public string ConnectionString { get; private set; } = string.Empty;

    public DatabaseFixture Database => database;

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await database.Server.CreateMigratedDatabaseAsync("deadlines");
        cluster = await PostgresTestCluster.StartAsync(ConnectionString, membershipInDatabase: true, deadlineClock: Clock);
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
