using MutualAssistance.Testing;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MutualAssistance.Contracts.Requests;
using MutualAssistance.Domain.History;
using MutualAssistance.Domain.ReadModel;
using MutualAssistance.Domain.ReferenceData;
using MutualAssistance.Domain.Requests;
using MutualAssistance.Persistence;
using MutualAssistance.ReadSide.Writing;
using Npgsql;
using Orleans.Serialization;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// A database written by the previous release (each request's state in orleans_storage, its whole history inside,
/// a read-model update possibly pending beside it) is carried over by <c>migrate</c>: history to request_events with
/// its hashes, state to request_state, read model up to date; a silo refuses to start before that.
/// </summary>
public sealed class LegacyStateMigrationTests(DatabaseFixture database)
{
    private static readonly Actor Filer = new() { Subject = "f", Authority = "KZ-GP", Role = Role.Filer };
    private static readonly Actor Handler = new() { Subject = "h", Authority = "CN-MOJ", Role = Role.Handler };

    [Fact]
    public async Task State_of_the_previous_release_is_carried_over_with_its_history_and_chain_intact()
    {
        var connectionString = await database.Server.CreateMigratedDatabaseAsync("legacy");
        var data = ReferenceDataFiles.Load(TestReferenceData.Folder);
        await using var services = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(AssistanceRequest).Assembly).AddAssembly(typeof(PreviousReleaseState).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var now = DateTimeOffset.UtcNow.AddDays(-1);

        // Three requests as the previous release stored them: worked through several actions, the last one with its
        // read-model update still pending (a crash between the state write and the projection).
        var requests = new List<AssistanceRequest>();
        for (var i = 0; i < 3; i++)
        {
            // The previous release had no history salt: its hashes cover the reasons themselves.
            var request = AssistanceRequest.File(Guid.NewGuid(), Requests.Sample($"legacy {i}"), Filer, now, data) with { HistorySalt = null };
            request = request.Act(new ActionCommand { Action = RequestAction.Acknowledge }, Handler, now.AddMinutes(1), data).Request;
            request = request.Act(new ActionCommand { Action = RequestAction.Accept }, Handler, now.AddMinutes(2), data).Request;
            request = request.Act(new ActionCommand { Action = RequestAction.Postpone, Reason = "awaiting a court date" }, Handler, now.AddMinutes(3), data).Request;
            requests.Add(request);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        foreach (var (request, index) in requests.Select((r, i) => (r, i)))
        {
            // The previous release had no chain head in the state: the history itself was there.
            var old = request with { Head = ChainHead.Genesis, LastEventAt = default };
            var projected = index == 2 ? Projections.Of(request, data) with { Version = request.Version - 1 } : Projections.Of(request, data);
            await ReadModelBatch.ApplyAsync(dataSource, [projected], TestContext.Current.CancellationToken);
            var payload = serializer.SerializeToArray(new PreviousReleaseState { Request = old, Outbox = index == 2 ? Projections.Of(request, data) : null });
            await WriteLegacy(dataSource, request.Id, payload);
        }

        // A silo will not start on it; migrate carries it over, and again finds nothing.
        var refused = Assert.Throws<InvalidOperationException>(() => DatabaseMigrator.EnsureUpToDate(connectionString));
        Assert.Contains("migrate", refused.Message, StringComparison.Ordinal);
        var output = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(3, await LegacyRequestStates.RunAsync(connectionString, TestReferenceData.Folder, output, TestContext.Current.CancellationToken));
        Assert.Equal(0, await LegacyRequestStates.RunAsync(connectionString, TestReferenceData.Folder, TextWriter.Null, TestContext.Current.CancellationToken));
        DatabaseMigrator.EnsureUpToDate(connectionString);
        Assert.Equal(0L, await Scalar<long>(dataSource, "SELECT count(*) FROM orleans_storage"));

        await using var cluster = await PostgresTestCluster.StartAsync(connectionString, membershipInDatabase: false);
        foreach (var request in requests)
        {
            var grain = cluster.Client.GetGrain<IAssistanceRequestGrain>(request.Id);
            var view = (await grain.Get(null))!;
            Assert.Equal(request.Version, view.Version);
            Assert.Equal(RequestStatus.Postponed, view.Status);

            // The history as it was, hashes unchanged, and the chain verifies.
            var history = await grain.History();
            Assert.Equal(request.NewEvents.Select(e => (e.Sequence, e.Event, e.Hash, e.At)), history.Select(e => (e.Sequence, e.Event, e.Hash, e.At)));
            Assert.True((await grain.VerifyHistory()).Intact);
            Assert.Equal(request.Version, await Scalar<int>(dataSource, $"SELECT version FROM request_summaries WHERE request_id = '{request.Id}'"));

            // And it goes on: the next event links to the carried-over chain.
            var resumed = await grain.Act(new ActionCommand { Action = RequestAction.Resume }, Handler);
            Assert.Equal(ActionOutcome.Applied, resumed.Outcome);
            var after = await grain.History();
            Assert.Equal(history[^1].Hash, after[^1].PreviousHash);
            Assert.True((await grain.VerifyHistory()).Intact);
        }
    }

    /// <summary>What the ADO.NET provider did for the previous release: the state row through orleans_storage_write.</summary>
    private static async Task WriteLegacy(NpgsqlDataSource dataSource, Guid id, byte[] payload)
    {
        var bytes = id.ToByteArray();
        await using var command = dataSource.CreateCommand("SELECT orleans_storage_write('legacy-service', @state, @n0, @n1, NULL, NULL, @payload)");
        command.Parameters.AddWithValue("state", LegacyRequestStates.StateName);
        command.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        command.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
        command.Parameters.AddWithValue("payload", payload);
        Assert.Equal(1, (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}

/// <summary>The grain state class of the previous release, field for field: the request (history inside) and its outbox.</summary>
[GenerateSerializer]
[Alias("test.PreviousReleaseState")]
public sealed class PreviousReleaseState
{
    [Id(0)] public AssistanceRequest? Request { get; set; }

    [Id(1)] public RequestProjection? Outbox { get; set; }
}
