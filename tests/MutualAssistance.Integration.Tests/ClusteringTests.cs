using MutualAssistance.Contracts.Requests;
using Npgsql;

namespace MutualAssistance.Integration.Tests;

public sealed class ClusteringTests(DatabaseFixture database)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Two_silos_form_one_cluster_and_the_survivor_serves_after_the_other_is_killed()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("clustering");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2);

        var members = await Members(connectionString);
        Assert.Equal(2, members.Count(m => m.Status == Active));
        Assert.Single(members.Select(m => m.ClusterId).Distinct());

        var id = Guid.NewGuid();
        await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).File(Requests.Sample(), Requests.Filer);

        var survivor = cluster.Silos[0];
        var victim = cluster.Silos[1];
        await cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);

        // The survivor declares the killed silo dead in the table; the request is served from storage.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<Member> after;
        do
        {
            after = await Members(connectionString);
            if (after.Any(m => m.Port == victim.SiloAddress.Endpoint.Port && m.Status == Dead))
            {
                break;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains(after, m => m.Port == victim.SiloAddress.Endpoint.Port && m.Status == Dead);
        Assert.Contains(after, m => m.Port == survivor.SiloAddress.Endpoint.Port && m.Status == Active);
        var read = await cluster.Client.GetGrain<IAssistanceRequestGrain>(id).Get(null);
        Assert.Equal(id, read?.Id);
    }

    private sealed record Member(string ClusterId, int Port, int Status);

    private static async Task<List<Member>> Members(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT deploymentid, port, status FROM orleans_membership", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var members = new List<Member>();
        while (await reader.ReadAsync())
        {
            members.Add(new Member(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return members;
    }
}
