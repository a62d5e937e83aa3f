using MutualAssistance.Contracts.Requests;
using Orleans.Storage;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A stale activation racing a newer one never overwrites newer state. Two clusters of the same service over one
/// database each hold an activation of the same request, as two silos do for a while when membership splits: the
/// one that read an older version cannot write over what the other wrote, is dropped, and its next call starts
/// from the stored state.
/// </summary>
public sealed class StaleActivationTests(DatabaseFixture database)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    [Fact]
    public async Task A_stale_activation_fails_to_write_leaves_the_newer_state_and_starts_over_from_it()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("stale");
        var serviceId = "stale-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: false, serviceId: serviceId);
        await using var second = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: false, serviceId: serviceId);
        var id = Guid.NewGuid();
        var stale = first.Client.GetGrain<IAssistanceRequestGrain>(id);
        var newer = second.Client.GetGrain<IAssistanceRequestGrain>(id);

        Assert.Equal(FilingOutcome.Created, (await stale.File(Requests.Sample(), Filer)).Outcome);
        Assert.Equal(1, (await newer.Get(null))!.Version);
        Assert.Equal(ActionOutcome.Applied, (await newer.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler)).Outcome);

        // The stale activation still holds version 1, where withdrawing is allowed: its write must not land.
        var withdraw = new ActionCommand { Action = RequestAction.Withdraw, Reason = "filed twice" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale.Act(withdraw, Filer));

        // A fresh reader sees the newer activation's version, untouched.
        await using var third = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: false, serviceId: serviceId);
        var stored = (await third.Client.GetGrain<IAssistanceRequestGrain>(id).Get(null))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal(RequestStatus.Acknowledged, stored.Status);

        // The failed activation was dropped: the same call again starts from the stored version and builds on it.
        var retried = await stale.Act(withdraw, Filer);
        Assert.Equal(ActionOutcome.Applied, retried.Outcome);
        Assert.Equal(3, retried.Request!.Version);
        var history = await stale.History();
        Assert.Equal(["file", "acknowledge", "withdraw"], history.Select(e => e.Event));
        Assert.True((await stale.VerifyHistory()).Intact);
    }
}
