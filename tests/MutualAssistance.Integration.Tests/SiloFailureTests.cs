using System.Collections.Concurrent;
using MutualAssistance.Contracts.Requests;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A silo killed under load: every action that was acknowledged as applied is in the final state and in the
/// history exactly once; a retry with the version the caller saw never applies twice; every request stays readable.
/// </summary>
public sealed class SiloFailureTests(DatabaseFixture database)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = "filer" };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = "handler" };

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_action_and_duplicates_none()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("silo_kill");
        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: true, silos: 2);
        var client = cluster.Client;
        var requests = Enumerable.Range(0, 24).Select(_ => client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid())).ToArray();
        foreach (var grain in requests)
        {
            await grain.File(Requests.Sample(), Filer);
            Assert.Equal(ActionOutcome.Applied, (await grain.Act(new ActionCommand { Action = RequestAction.Accept }, Handler)).Outcome);
        }

        var applied = new ConcurrentDictionary<Guid, int>();
        var ambiguous = new ConcurrentDictionary<Guid, int>();
        using var stop = new CancellationTokenSource();
        var workers = requests.Select(grain => Task.Run(async () =>
        {
            var id = grain.GetPrimaryKey();
            var version = 2;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The action names the version it saw, as an HTTP caller's If-Match does: a retry of an action that
                    // did land gets VersionMismatch, never a second application.
                    var result = await grain.Act(new ActionCommand { Action = RequestAction.PartiallyExecute, Note = "batch", ExpectedVersion = version }, Handler);
                    if (result.Outcome == ActionOutcome.Applied)
                    {
                        applied.AddOrUpdate(id, 1, (_, n) => n + 1);
                        version = result.Request!.Version;
                    }
                    else if (result.Outcome == ActionOutcome.VersionMismatch)
                    {
                        version = (await grain.Get(null))!.Version;
                    }
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // The silo died during the call: it may or may not have applied. Read what is there and go on.
                    ambiguous.AddOrUpdate(id, 1, (_, n) => n + 1);
                    try
                    {
                        version = (await grain.Get(null))!.Version;
                    }
                    catch (Exception again) when (again is OrleansException or TimeoutException)
                    {
                        await Task.Delay(100);
                    }
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken); // load before the kill
        await cluster.KillSiloAsync(cluster.Silos[1], TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken); // load after it
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.True(applied.Values.Sum() > 50, $"only {applied.Values.Sum()} actions applied");
        foreach (var grain in requests)
        {
            var id = grain.GetPrimaryKey();
            var history = await grain.GetHistory();
            var recorded = history.Count(e => e.Event == "partially-execute");
            var acknowledged = applied.GetValueOrDefault(id);
            Assert.InRange(recorded, acknowledged, acknowledged + ambiguous.GetValueOrDefault(id));
            var view = (await grain.Get(null))!;
            Assert.Equal(2 + recorded, view.Version);
            Assert.True((await grain.VerifyHistory()).Intact);
        }
    }
}
