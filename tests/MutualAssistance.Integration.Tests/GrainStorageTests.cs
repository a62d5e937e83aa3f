using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Grains;
using MutualAssistance.Grains.ReferenceData;
using MutualAssistance.Grains.Requests;
using Npgsql;
using Orleans.Storage;

namespace MutualAssistance.Integration.Tests;

[Collection(StorageClusterCollection.Name)]
public sealed class GrainStorageTests(StorageClusterFixture fixture)
{
    [Fact]
    public async Task A_filed_request_is_read_back_from_storage_after_deactivation()
    {
        var id = Guid.NewGuid();
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(id);

        var filed = await grain.File(Requests.Sample(), Requests.Filer);
        Assert.Equal(FilingOutcome.Created, filed.Outcome);

        await fixture.Cluster.DeactivateAsync(grain);
        var read = await grain.Get(null);

        Assert.NotNull(read);
        Assert.Equal(id, read.Id);
        Assert.Equal(RequestStatus.Submitted, read.Status);
        Assert.Equal(filed.Request!.Subject, read.Subject);
        Assert.Equal(filed.Request.ReceivedAt, read.ReceivedAt);
        Assert.Equal(filed.Request.AssistanceTypes, read.AssistanceTypes);
        Assert.Equal("A. Person", Assert.Single(read.PersonsConcerned).Name);
        Assert.Equal(1, await StoredVersion(id));
    }

    [Fact]
    public async Task Filing_again_is_idempotent_and_a_different_request_under_the_same_id_changes_nothing()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var first = await grain.File(Requests.Sample(), Requests.Filer);

        var retry = await grain.File(Requests.Sample(), Requests.Filer);
        var other = await grain.File(Requests.Sample("Another matter"), Requests.Filer);

        Assert.Equal(FilingOutcome.AlreadyFiled, retry.Outcome);
        Assert.Equivalent(first.Request, retry.Request, strict: true);
        Assert.Equal(FilingOutcome.IdTakenByAnotherRequest, other.Outcome);
        Assert.Equal(first.Request!.Subject, (await grain.Get(null))!.Subject);
        Assert.Equal(1, await StoredVersion(first.Request.Id));
    }

    [Fact]
    public async Task A_stale_write_fails_with_a_version_conflict_and_leaves_the_newer_state()
    {
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Requests);
        var grainId = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid()).GetGrainId();
        var now = DateTimeOffset.UtcNow;

        var first = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grainId, first);
        Assert.False(first.RecordExists);
        first.State!.Request = AssistanceRequest.File(grainId.GetGuidKey(), Requests.Sample("first"), Requests.Filer, now, ReferenceData);
        await storage.WriteStateAsync("request", grainId, first);

        // Two writers read the same version; the first to write wins.
        var winner = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grainId, winner);
        var loser = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grainId, loser);
        Assert.Equal(winner.ETag, loser.ETag);

        winner.State!.Request = winner.State.Request! with { Version = 2, RequestedReference = "winner" };
        await storage.WriteStateAsync("request", grainId, winner);
        loser.State!.Request = loser.State.Request! with { Version = 2, RequestedReference = "loser" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("request", grainId, loser));

        var stored = new GrainState<AssistanceRequestState>(new AssistanceRequestState());
        await storage.ReadStateAsync("request", grainId, stored);
        Assert.Equal("winner", stored.State!.Request!.RequestedReference);
        Assert.Equal(winner.ETag, stored.ETag);
    }

    [Fact]
    public async Task Concurrent_first_writes_leave_one_row_and_one_winner()
    {
        var storage = fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Requests);
        var grainId = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid()).GetGrainId();
        var now = DateTimeOffset.UtcNow;

        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            var state = new GrainState<AssistanceRequestState>(new AssistanceRequestState
            {
                Request = AssistanceRequest.File(grainId.GetGuidKey(), Requests.Sample($"writer {i}"), Requests.Filer, now, ReferenceData),
            });
            try
            {
                await storage.WriteStateAsync("request", grainId, state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(writes);
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(1, await RowCount(grainId.GetGuidKey()));
    }

    private ReferenceDataSet ReferenceData => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<CurrentReferenceData>().Set;

    private async Task<int?> StoredVersion(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleans_storage WHERE graintypestring = 'request' AND grainidextensionstring IS NULL AND grainidn0 = @n0 AND grainidn1 = @n1",
            connection);
        var bytes = id.ToByteArray();
        command.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        command.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
        return (int?)await command.ExecuteScalarAsync();
    }

    private async Task<long> RowCount(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE graintypestring = 'request' AND grainidn0 = @n0 AND grainidn1 = @n1", connection);
        var bytes = id.ToByteArray();
        command.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        command.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
