using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A silo killed under load: every action that was acknowledged as applied is in the final state and in the
/// history exactly once; a retry with the version the caller saw never applies twice; every request stays readable.
/// </summary>
[Trait("Category", "Slow")]
public sealed class SiloFailureTests(DatabaseFixture database)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_action_and_duplicates_none()
    {
        var cancel = TestContext.Current.CancellationToken;
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("silo_kill");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2);
        var requests = Enumerable.Range(0, 24).Select(_ => cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid())).ToArray();
        foreach (var grain in requests)
        {
            await grain.File(Requests.Sample(), Filer);
            Assert.Equal(ActionOutcome.Applied, (await grain.Act(new ActionCommand { Action = RequestAction.Accept }, Handler)).Outcome);
        }

        await using var load = new VersionedLoad(requests, version: 2);
        await Task.Delay(TimeSpan.FromSeconds(2), cancel); // load before the kill
        await cluster.KillSiloAsync(cluster.Silos[1], cancel);
        await Task.Delay(TimeSpan.FromSeconds(4), cancel); // load after it
        await load.StopAsync();

        Assert.True(load.Applied > 50, $"only {load.Applied} actions applied");
        await load.AssertNothingLostOrDoubled(requests, startVersion: 2);
    }
}
