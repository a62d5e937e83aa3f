using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using Npgsql;
using Orleans.Providers;
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
    public async Task A_stale_write_through_the_ADO_NET_provider_fails_with_a_version_conflict_and_leaves_the_newer_state()
    {
        var storage = Storage;
        var grainId = ProbeId();

        var first = new GrainState<StorageProbe>(new StorageProbe());
        await storage.ReadStateAsync(StorageProbe.Name, grainId, first);
        Assert.False(first.RecordExists);
        first.State!.Text = "first";
        await storage.WriteStateAsync(StorageProbe.Name, grainId, first);

        // Two writers read the same version; the first to write wins.
        var winner = new GrainState<StorageProbe>(new StorageProbe());
        await storage.ReadStateAsync(StorageProbe.Name, grainId, winner);
        var loser = new GrainState<StorageProbe>(new StorageProbe());
        await storage.ReadStateAsync(StorageProbe.Name, grainId, loser);
        Assert.Equal(winner.ETag, loser.ETag);

        winner.State!.Text = "winner";
        await storage.WriteStateAsync(StorageProbe.Name, grainId, winner);
        loser.State!.Text = "loser";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StorageProbe.Name, grainId, loser));

        var stored = new GrainState<StorageProbe>(new StorageProbe());
        await storage.ReadStateAsync(StorageProbe.Name, grainId, stored);
        Assert.Equal("winner", stored.State!.Text);
        Assert.Equal(winner.ETag, stored.ETag);
    }

    [Fact]
    public async Task Concurrent_first_writes_through_the_ADO_NET_provider_leave_one_row_and_one_winner()
    {
        var storage = Storage;
        var grainId = ProbeId();

        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            var state = new GrainState<StorageProbe>(new StorageProbe { Text = $"writer {i}" });
            try
            {
                await storage.WriteStateAsync(StorageProbe.Name, grainId, state);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(writes);
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(1, await ProbeRowCount(grainId.GetGuidKey()));
    }

    [Fact]
    public async Task Concurrent_filings_of_one_request_through_the_store_leave_one_state_and_one_history()
    {
        var store = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IRequestStore>();
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;

        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            var filed = AssistanceRequest.File(id, Requests.Sample($"writer {i}"), Requests.Filer, now, ReferenceData);
            try
            {
                await store.Commit(new RequestChange(null, filed, MutualAssistance.Domain.ReadModel.Projections.Of(filed, ReferenceData)), TestContext.Current.CancellationToken);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        });

        var outcomes = await Task.WhenAll(writes);
        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(1, await StoredVersion(id));
        Assert.Single(await store.ReadHistory(id, 0, 10, TestContext.Current.CancellationToken));
    }

    private ReferenceDataSet ReferenceData => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<CurrentReferenceData>().Set;

    private async Task<int?> StoredVersion(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM request_state WHERE request_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (int?)await command.ExecuteScalarAsync();
    }

    private IGrainStorage Storage => fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>A Guid-keyed grain id (the request grain's type serves as any): the provider splits the key into n0 and n1.</summary>
    private GrainId ProbeId() => fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid()).GetGrainId();

    private async Task<long> ProbeRowCount(Guid id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_storage WHERE graintypestring = 'probe' AND grainidn0 = @n0 AND grainidn1 = @n1", connection);
        var bytes = id.ToByteArray();
        command.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        command.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A grain state of no meaning, to test the ADO.NET grain storage provider on our schema.</summary>
[GenerateSerializer]
public sealed class StorageProbe
{
    public const string Name = "probe";

    [Id(0)] public string Text { get; set; } = string.Empty;
}
